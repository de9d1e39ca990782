"""What the crawler submits in every form it finds: the form empty, each hostile text in every
free-text field, forged ids in every choice, and a file that is not what its name says."""

HOSTILE_TEXT = {
    "nul": "a\x00b\x01\x1b[31m\r\n\u2028\u202ec",
    "long": "长" * 100_000,
    "script": '<script>alert(1)</script>"><img src=x onerror=alert(1)>{{7*7}}',
    "fullwidth": "Ｖ３ＫＮＦ１２３４５　＜ｓｃｒｉｐｔ＞ＰＹ２０２６",
}
FORGED_IDS = ["999999999", "-1", "0", "1 OR 1=1", "9" * 40, "abc", "１", "²"]
HOSTILE_FILE = ("<script>alert(1)</script>.png", b"not an image at all")


def base_values(form):
    """What a browser would send untouched: defaults, the first radio, checked boxes."""
    data = {}
    for name, kind, value, options, checked in form.fields:
        if kind in ("submit", "button", "file", "reset", "image"):
            continue
        if kind == "radio":
            data.setdefault(name, value)
        elif kind == "checkbox":
            if checked:
                data[name] = value or "y"
        elif kind == "select":
            data[name] = value if value is not None else (options[0] if options else "")
        else:
            data[name] = value
    return data


def variants(form):
    """Empty, then each hostile text in every free-text field, then forged ids in every
    select, radio and hidden field; files get a hostile name and a body that is no image."""
    text_kinds = {"text", "textarea", "email", "tel", "search", "password", "url", "number",
                  "date"}
    choice_kinds = {"select", "radio", "hidden"}
    names = {f[0]: f[1] for f in form.fields}
    files = [n for n, k in names.items() if k == "file"]
    keep = {"csrf_token"}
    yield {n: "" for n, k in names.items() if k in text_kinds | {"hidden", "select"}
           and n not in keep} | {n: v for n, v in base_values(form).items() if n in keep}
    base = base_values(form)
    for text in HOSTILE_TEXT.values():
        data = dict(base)
        data.update({n: text for n, k in names.items() if k in text_kinds})
        data.update({n: HOSTILE_FILE for n in files})
        yield data
    for i, forged in enumerate(FORGED_IDS[:2]):
        data = dict(base)
        data.update({n: FORGED_IDS[(i + j) % len(FORGED_IDS)]
                     for j, (n, k) in enumerate(names.items())
                     if k in choice_kinds and n not in keep})
        if forged == FORGED_IDS[0]:
            data.update({n: "\x00" for n, k in names.items() if k == "select"})
        yield data
