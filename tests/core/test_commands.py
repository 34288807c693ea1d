import io

from povertycase.commands import write_row_errors


class Lines(io.StringIO):
    def write(self, text):
        return super().write(text + "\n")


def test_row_errors_name_row_and_column_then_the_verdict():
    out = Lines()
    write_row_errors(
        out,
        [
            {"row": 5, "column": "证件号码", "message": "证件号码必须以文本格式填写"},
            {"row": None, "column": "", "message": "未找到表头行"},
        ],
    )
    assert out.getvalue().splitlines() == [
        "第5行 “证件号码” 证件号码必须以文本格式填写",
        "未找到表头行",
        "共 2 处错误，未导入任何数据。",
    ]


def test_no_errors_print_nothing():
    out = Lines()
    write_row_errors(out, [])
    assert out.getvalue() == ""
