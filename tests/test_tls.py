"""Certificates are verified; a site can opt out (verify_certificates = false)."""

import datetime
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.crawling import query, run_crawl
from tests.newsroom import Newsroom


def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class TLSNewsroom(Newsroom):
    def __init__(self, cert, key, **kw):
        super().__init__(**kw)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.base_url = self.base_url.replace("http://", "https://")


def sites(tmp_path, server, extra=""):
    path = tmp_path / "sites.toml"
    path.write_text(f'[[site]]\nname = "campanile"\nurl = "{server.base_url}"\n{extra}')
    return path


def test_invalid_certificate_refused_unless_the_site_opts_out(tmp_path):
    cert, key = self_signed(tmp_path)
    with TLSNewsroom(cert, key, old=2, recent=0) as site:
        refused = run_crawl(sites(tmp_path, site), tmp_path / "a.db")
        assert site.paths() == [], "a page was fetched over an unverified TLS connection"
        assert refused.returncode != 0
        allowed = run_crawl(sites(tmp_path, site, "verify_certificates = false\n"), tmp_path / "b.db")
        assert allowed.returncode == 0, allowed.log[-3000:]
        assert query(tmp_path / "b.db", "select count(*) from articles") == [(2,)]
