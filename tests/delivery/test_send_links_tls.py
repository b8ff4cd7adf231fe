"""The SMTP transport with STARTTLS and with TLS from the first byte, logging in."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from link_site import EVENT, IN_WINDOW, LinkSite, base_env, entry, make_link_site
from smtp_server import Recorder, smtp_server

USER = "mailer@example.org"
PASSWORD = "p@ss:w/rd %"
ENCODED = "mailer%40example.org:p%40ss%3Aw%2Frd%20%25"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, trusted by the sender through SSL_CERT_FILE."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = folder / "cert.pem"
    key_path = folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Authenticator:
    def __init__(self) -> None:
        self.logins: list[tuple[str, str]] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(login)
        # handled=False: aiosmtpd then answers a failure with 535 itself.
        return AuthResult(success=login == (USER, PASSWORD), handled=False)


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def link_site(tmp_path: Path) -> LinkSite:
    """A site for `send-links` whose event has one registrant, alice."""
    made = make_link_site(tmp_path)
    made.write_event([entry("alice")])
    return made


def _env(link_site: LinkSite, url: str, certificate: tuple[Path, Path]) -> dict[str, str]:
    return base_env(
        SIGNUPSHEET_MEETING_LINKS=f"{EVENT}: {link_site.link}",
        SIGNUPSHEET_CONTACTS="alice: alice@people.example.net",
        SIGNUPSHEET_MAIL_FROM="events@example.org",
        SIGNUPSHEET_SMTP_URL=url,
        SSL_CERT_FILE=str(certificate[0]),
    )


@pytest.fixture
def starttls_server(
    certificate: tuple[Path, Path],
) -> Iterator[tuple[int, Recorder, Authenticator]]:
    recorder, authenticator = Recorder(), Authenticator()
    with smtp_server(
        recorder,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    ) as port:
        yield port, recorder, authenticator


def test_starttls_with_a_percent_encoded_login(
    link_site: LinkSite,
    certificate: tuple[Path, Path],
    starttls_server: tuple[int, Recorder, Authenticator],
) -> None:
    port, recorder, authenticator = starttls_server
    result = link_site.run(
        _env(link_site, f"smtp://{ENCODED}@127.0.0.1:{port}", certificate), "--now", IN_WINDOW
    )
    assert result.returncode == 0, result.stderr
    assert authenticator.logins == [(USER, PASSWORD)]
    assert [item.recipients for item in recorder.messages] == [["alice@people.example.net"]]


def test_wrong_password_is_a_transport_failure_without_the_password(
    link_site: LinkSite,
    certificate: tuple[Path, Path],
    starttls_server: tuple[int, Recorder, Authenticator],
) -> None:
    port, recorder, _ = starttls_server
    url = f"smtp://mailer%40example.org:wrong-secret@127.0.0.1:{port}"
    result = link_site.run(_env(link_site, url, certificate), "--now", IN_WINDOW)
    assert result.returncode == 1
    assert "refused the login (reply code 535)" in result.stderr
    assert "wrong-secret" not in result.stdout + result.stderr
    assert recorder.messages == []
    assert link_site.link_sent() == {"alice": None}


# aiosmtpd cannot tell that this connection is encrypted (see below) and warns about it.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_smtps_from_the_first_byte(link_site: LinkSite, certificate: tuple[Path, Path]) -> None:
    recorder, authenticator = Recorder(), Authenticator()
    with smtp_server(
        recorder,
        ssl_context=_server_context(certificate),
        authenticator=authenticator,
        auth_required=True,
        # aiosmtpd only counts STARTTLS as TLS; this connection is encrypted from the first byte.
        auth_require_tls=False,
    ) as port:
        result = link_site.run(
            _env(link_site, f"smtps://{ENCODED}@127.0.0.1:{port}", certificate), "--now", IN_WINDOW
        )
    assert result.returncode == 0, result.stderr
    assert authenticator.logins == [(USER, PASSWORD)]
    assert len(recorder.messages) == 1


def test_an_untrusted_certificate_stops_the_run(
    link_site: LinkSite,
    certificate: tuple[Path, Path],
    starttls_server: tuple[int, Recorder, Authenticator],
) -> None:
    port, recorder, _ = starttls_server
    env = _env(link_site, f"smtp://{ENCODED}@127.0.0.1:{port}", certificate)
    del env["SSL_CERT_FILE"]
    result = link_site.run(env, "--now", IN_WINDOW)
    assert result.returncode == 1
    assert "SSLCertVerificationError" in result.stderr
    assert recorder.messages == []
