"""`tiaojie documents templates list|upload|show`: a good template becomes version 1, a broken one is refused
naming the unknown fields, show prints the packaged or a stored text."""


def test_list_upload_show(cli, tmp_path):
    listed = cli("documents", "templates", "list").stdout
    assert "agreement" in listed and "人民调解协议书" in listed and "in use: packaged" in listed
    good = tmp_path / "协议书.html"
    good.write_text("<h1>{{ doc.title }}</h1>{% for p in parties %}{{ p.name }}{% endfor %}", encoding="utf-8")
    out = cli("documents", "templates", "upload", "agreement", str(good), "--note", "试行").stdout
    assert out.startswith("agreement v1 (all offices) stored")
    assert "agreement            人民调解协议书" in cli("documents", "templates", "list").stdout
    assert "in use: v1 (all offices)" in cli("documents", "templates", "list").stdout
    assert cli("documents", "templates", "show", "agreement").stdout == good.read_text(encoding="utf-8")
    assert "人民调解协议书" in cli("documents", "templates", "show", "agreement", "--version", "0").stdout

    bad = tmp_path / "bad.html"
    bad.write_text("{{ case.foo }}\n{{ form.no_such_field }}", encoding="utf-8")
    proc = cli("documents", "templates", "upload", "agreement", str(bad), ok=False)
    assert proc.returncode == 1
    assert "error: case.foo:" in proc.stderr and "error: form.no_such_field:" in proc.stderr
    assert "第2行" in proc.stderr
    proc = cli("documents", "templates", "upload", "agreement", str(tmp_path / "missing.html"), ok=False)
    assert proc.returncode == 1 and "no such file" in proc.stderr
