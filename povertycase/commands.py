"""What the import commands (import_households, import_ledger, …) print for row errors."""


def write_row_errors(stream, errors) -> None:
    """One line per error, `第N行 “列” message`, then the all-or-nothing verdict."""
    for error in errors:
        where = f"第{error['row']}行 " if error.get("row") else ""
        column = f"“{error['column']}” " if error.get("column") else ""
        stream.write(f"{where}{column}{error['message']}")
    if errors:
        stream.write(f"共 {len(errors)} 处错误，未导入任何数据。")
