"""Outgoing mail through an authenticated SMTP server over STARTTLS (aiosmtpd on loopback, a test CA)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from o2c.adapters.mail import OutgoingMail, SmtpMailer
from tests.integration.test_collections_mail import Inbox
from tests.mail_servers import free_port


def _certificate(folder: Path) -> tuple[Path, Path]:
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
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"ar", b"pw")
    return AuthResult(success=ok)


@pytest.fixture
def tls_smtp(tmp_path):  # type: ignore[no-untyped-def]
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticator,
        auth_required=True,
    )
    controller.start()
    yield inbox, port, cert
    controller.stop()


def test_mail_goes_out_over_starttls_with_login_and_a_verified_certificate(tls_smtp):
    inbox, port, cert = tls_smtp
    mailer = SmtpMailer.from_url(f"smtp+starttls://ar@127.0.0.1:{port}", "pw", str(cert))
    mail = OutgoingMail("MSG-1", "ar@o2c.test", "ap@c1.example", "Reminder", "Please pay", dedupe_key="d:1")
    assert mailer.send(mail) == mail.header_id()
    [received] = inbox.received
    assert received["Subject"] == "Reminder" and "pw" not in repr(mailer)


def test_a_password_in_the_smtp_url_is_refused():
    with pytest.raises(ValueError, match="O2C_SMTP_PASSWORD"):
        SmtpMailer.from_url("smtps://ar:pw@mail.example")
