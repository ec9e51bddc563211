"""Host, Origin and token checks, and the security headers on every answer."""

import base64
import hashlib
import re

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient

from feedback_miner.web.app import WebSettings, create_app
from feedback_miner.web.guard import host_allowed, same_origin

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "http://127.0.0.1:8000"
TOKEN_NEEDED = "a valid token is needed: send the header 'Authorization: Bearer <token>'."
CROSS_SITE = (
    "a request from another web site (Origin {!r}) was refused: this server takes uploads only "
    "from its own page. Open the page the server prints at start and upload there; scripts that "
    "send no Origin header are not affected."
)


@pytest.fixture(scope="module")
def open_client(tmp_path_factory):
    """No token: the analyst's own machine, the case the Origin check is for."""
    settings = WebSettings(jobs_dir=tmp_path_factory.mktemp("jobs"), allowed_hosts=("box.lan",))
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client


@pytest.fixture(scope="module")
def token_client(tmp_path_factory):
    settings = WebSettings(jobs_dir=tmp_path_factory.mktemp("jobs"), token=TOKEN)
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client


def _post(client: TestClient, headers: dict[str, str]):
    """A job without files: past the guard, FastAPI itself refuses it with 422."""
    return client.post("/api/jobs", data={"lang": "zh"}, headers=headers)


# --- Origin ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "shown"),
    [
        ({"Origin": "https://attacker.example"}, "https://attacker.example"),
        ({"Origin": "http://127.0.0.1:3000"}, "http://127.0.0.1:3000"),  # another local app
        ({"Origin": "http://localhost:8000"}, "http://localhost:8000"),  # another name, same port
        ({"Origin": "null"}, "null"),  # a sandboxed frame or a file:// page
        ({"Sec-Fetch-Site": "cross-site"}, "cross-site"),
        ({"Sec-Fetch-Site": "same-site"}, "same-site"),
    ],
)
def test_a_cross_origin_upload_is_403_before_the_body_is_read(
    open_client: TestClient, headers: dict[str, str], shown: str
) -> None:
    root = open_client.app.state.store.root
    before = sorted(p.name for p in root.iterdir())
    answer = _post(open_client, headers)
    assert answer.status_code == 403
    assert answer.json()["detail"] == CROSS_SITE.format(shown)
    assert sorted(p.name for p in root.iterdir()) == before
    preview = open_client.post("/api/preview", files={"file": ("a.csv", b"x")}, headers=headers)
    assert preview.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, a script
        {"Origin": BASE},  # the page itself
        {"Origin": BASE, "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},  # typed in the address bar
    ],
)
def test_same_origin_and_clients_without_origin_pass(
    open_client: TestClient, headers: dict[str, str]
) -> None:
    answer = _post(open_client, headers)
    assert answer.status_code == 422  # refused for its content, past the guard
    assert answer.json()["detail"][0]["loc"] == ["body", "files"]


def test_reading_from_another_origin_is_not_refused(open_client: TestClient) -> None:
    # a GET changes nothing, and without CORS headers the other page cannot read the answer
    answer = open_client.get("/api/config", headers={"Origin": "https://attacker.example"})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


# --- Host ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("[::1]:8000", 200),
        ("192.168.1.20:8000", 200),
        ("box.lan:8000", 200),  # named with allowed_hosts
        ("BOX.LAN", 200),
        ("attacker.example:8000", 400),  # a rebinding name that resolves to 127.0.0.1
        ("127.0.0.1.attacker.example", 400),
    ],
)
def test_the_host_header_must_name_this_server(
    open_client: TestClient, host: str, status: int
) -> None:
    answer = open_client.get("/api/config", headers={"Host": host})
    assert answer.status_code == status
    if status == 400:
        name = host.split(":")[0]
        assert answer.json()["detail"] == (
            f"this server does not answer to the name in the Host header ({host!r}). Open it as "
            "http://127.0.0.1:PORT/ or http://localhost:PORT/, or start it with --allowed-host "
            f"{name} to accept that name."
        )


@pytest.mark.parametrize(
    ("host", "allowed", "expected"),
    [
        ("127.0.0.1", frozenset(), True),
        ("10.0.0.5:80", frozenset(), True),
        ("[fe80::1]:8000", frozenset(), True),
        ("localhost.", frozenset(), True),
        ("intranet", frozenset(), False),
        ("intranet:8000", frozenset({"intranet"}), True),
        ("evil.example", frozenset({"intranet"}), False),
    ],
)
def test_host_allowed(host: str, allowed: frozenset[str], expected: bool) -> None:
    assert host_allowed(host, allowed) is expected


@pytest.mark.parametrize(
    ("origin", "host", "expected"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://LOCALHOST:8000", "localhost:8000", True),
        ("http://[::1]:8000", "[::1]:8000", True),
        ("https://box.lan", "box.lan", True),  # behind a proxy that ends TLS
        ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8000", None, False),
        ("null", "127.0.0.1:8000", False),
        ("127.0.0.1:8000", "127.0.0.1:8000", False),
    ],
)
def test_same_origin(origin: str, host: str | None, expected: bool) -> None:
    assert same_origin(origin, host) is expected


# --- token -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/jobs/0123456789abcdef"),
        ("GET", "/api/jobs/0123456789abcdef/files/docs.csv"),
        ("POST", "/api/jobs"),
        ("POST", "/api/preview"),
        ("GET", "/no/such/page"),
    ],
)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong", TOKEN, f"Basic {base64.b64encode(b'x:' + TOKEN.encode()).decode()}"],
)
def test_without_the_token_the_api_is_401(
    token_client: TestClient, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = token_client.request(method, path, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["detail"] == TOKEN_NEEDED
    assert answer.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_the_api_documentation_needs_the_token(token_client: TestClient, path: str) -> None:
    refused = token_client.get(path)
    assert refused.status_code == 401
    assert refused.json()["detail"] == (
        TOKEN_NEEDED + " In a browser, give the token as the password (any user name)."
    )
    assert refused.headers["www-authenticate"] == 'Basic realm="feedback-miner"'
    assert token_client.get(path, headers=AUTH).status_code == 200
    # a browser asks for a user and a password: the token is the password
    basic = base64.b64encode(f"analyst:{TOKEN}".encode()).decode()
    assert token_client.get(path, headers={"Authorization": f"Basic {basic}"}).status_code == 200
    wrong = base64.b64encode(b"analyst:guess").decode()
    assert token_client.get(path, headers={"Authorization": f"Basic {wrong}"}).status_code == 401


@pytest.mark.parametrize("path", ["/", "/static/page.js", "/static/page.css", "/api/config"])
def test_the_page_needs_no_token(token_client: TestClient, path: str) -> None:
    assert token_client.get(path).status_code == 200


def test_without_a_token_the_documentation_is_open(open_client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert open_client.get(path).status_code == 200


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/static/page.js", 200),
        ("GET", "/api/config", 200),
        ("GET", "/api/jobs/0123456789abcdef", 401),
        ("GET", "/nothing", 401),
        ("POST", "/api/jobs", 401),
    ],
)
def test_every_answer_has_the_security_headers(
    token_client: TestClient, method: str, path: str, status: int
) -> None:
    answer = token_client.request(method, path)
    assert answer.status_code == status
    assert answer.headers["content-security-policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-frame-options"] == "DENY"
    if path.startswith("/api/"):
        assert answer.headers["cache-control"] == "no-store"


def test_the_page_has_no_inline_script_or_style(token_client: TestClient) -> None:
    # the policy allows only the page's own files: an inline one would not run
    page = token_client.get("/").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page and " style=" not in page


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_documentation_pages_allow_exactly_their_own_scripts(
    token_client: TestClient, path: str
) -> None:
    answer = token_client.get(path, headers=AUTH)
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    for inline in re.findall(r"<script>(.*?)</script>", answer.text, flags=re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
