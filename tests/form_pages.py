"""What a browser posts back: the values of one POST form of a page, as it was rendered."""

from html.parser import HTMLParser

SKIPPED_ACTIONS = ("setlang", "logout")


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._current, self._select, self._textarea, self._template = [], None, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._current = {
                "action": attrs.get("action") or "",
                "method": attrs.get("method", ""),
                "values": {},
            }
            self.forms.append(self._current)
            return
        if self._current is None:
            return
        values, name = self._current["values"], attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    values[name] = attrs.get("value", "on")
            else:
                values[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            values[name] = ""
        elif tag == "option" and self._select and "selected" in attrs:
            values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            values[name] = ""

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._current is not None:
            self._current["values"][self._textarea] += data


def post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [
        f
        for f in parser.forms
        if f["method"].lower() == "post" and not any(s in f["action"] for s in SKIPPED_ACTIONS)
    ]


def form_values(client, url, *, action: str | None = None, having: str | None = None) -> dict:
    """The values of the page's first POST form (whose action ends with `action`, or which has the
    field `having`)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    for form in post_forms(response.content.decode()):
        if action is not None and not form["action"].endswith(action):
            continue
        if having is not None and having not in form["values"]:
            continue
        return dict(form["values"])
    raise AssertionError(f"no POST form on {url}")


def named(user, family: str, given: str):
    user.last_name, user.first_name = family, given
    user.save()
    return user


def two_cadres(users, a_role="township", b_role="command"):
    """Two logged-in browsers: A is 李文斌, B is 王芳."""
    from django.test import Client

    a, b = Client(), Client()
    a.force_login(named(users[a_role], "李", "文斌"))
    b.force_login(named(users[b_role], "王", "芳"))
    return a, b


def refused_naming_a(response, *fields: str) -> bool:
    """B's save came back as the form with the refusal naming A and the changed fields."""
    html = response.content.decode()
    return (
        response.status_code == 200
        and "未保存" in html
        and "李文斌" in html
        and all(f in html for f in fields)
    )
