from __future__ import annotations

from core.connectors.redact import MASK, Redactor

SECRET = "tok/en+42=="


def test_values_are_masked_in_text_including_url_encoded_forms():
    r = Redactor([SECRET])
    assert r.text(f"echo {SECRET}") == f"echo {MASK}"
    assert SECRET not in r.text("q=tok%2Fen%2B42%3D%3D") and MASK in r.text("q=tok%2Fen%2B42%3D%3D")


def test_url_user_info_and_secret_named_params_are_masked():
    r = Redactor([])
    out = r.url("https://user:pw@api.test/x?api_key=abc&page=2&access_token=zzz")
    assert "pw" not in out and "abc" not in out and "zzz" not in out
    assert "page=2" in out and out.startswith("https://***@api.test/x")


def test_known_secret_in_an_innocent_param_is_masked_by_value():
    r = Redactor([SECRET])
    assert SECRET not in r.url(f"https://api.test/x?q={SECRET}")
    assert r.params({"q": f"a {SECRET}", "limit": 5, "token": "other"}) == {
        "q": f"a {MASK}", "limit": 5, "token": MASK,
    }  # fmt: skip


def test_headers_by_name_and_by_value():
    r = Redactor([SECRET])
    out = r.headers(
        {"Authorization": "Bearer x", "X-Trace": SECRET, "Accept": "json", "Cookie": "a=b"}
    )
    assert out == {"Authorization": MASK, "X-Trace": MASK, "Accept": "json", "Cookie": MASK}


def test_short_values_are_not_treated_as_secrets():
    r = Redactor(["ab"])
    assert r.text("about") == "about"


def test_basic_credentials_are_masked_in_encoded_form():
    r = Redactor()
    r.add_basic("user", "pa55word")
    assert "pa55word" not in r.text("pa55word") and "dXNlcjpwYTU1d29yZA==" not in r.text(
        "Basic dXNlcjpwYTU1d29yZA=="
    )
