"""Send one email over SMTP (TIAOJIE_SMTP_*): plain, STARTTLS or SSL, with timeouts.

Failures raise ``SendFailed``; ``permanent`` is set when retrying cannot help (the server
refused the recipient or the message for good, 5xx), otherwise the caller retries later.
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from engine.core.settings import Settings, get_settings

SECURITY = ("none", "starttls", "ssl")
_DEFAULT_PORT = {"none": 25, "starttls": 587, "ssl": 465}


class SendFailed(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def build(*, to: str, subject: str, text: str, html: str, message_id: str, sender: str | None = None) -> EmailMessage:
    """A multipart/alternative message (text first, HTML second) with the given Message-ID."""
    msg = EmailMessage()
    msg["From"] = sender or get_settings().smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def _tls_context(s: Settings) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    if s.smtp_ca_file:
        ctx.load_verify_locations(cafile=s.smtp_ca_file)
    return ctx


def _code_error(err: smtplib.SMTPResponseException, what: str) -> SendFailed:
    msg = err.smtp_error.decode(errors="replace") if isinstance(err.smtp_error, bytes) else str(err.smtp_error)
    return SendFailed(f"{what}: {err.smtp_code} {msg}", permanent=500 <= err.smtp_code < 600)


def send(msg: EmailMessage, settings: Settings | None = None) -> None:
    """Deliver ``msg`` to the configured server; raises SendFailed."""
    s = settings or get_settings()
    security = s.smtp_security.lower()
    if security not in SECURITY:
        raise SendFailed(f"TIAOJIE_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {s.smtp_security!r}")
    port = s.smtp_port or _DEFAULT_PORT[security]
    where = f"{s.smtp_host}:{port}"
    try:
        if security == "ssl":
            client = smtplib.SMTP_SSL(s.smtp_host, port, timeout=s.smtp_timeout, context=_tls_context(s))
        else:
            client = smtplib.SMTP(s.smtp_host, port, timeout=s.smtp_timeout)
        with client:
            if security == "starttls":
                client.ehlo()
                if not client.has_extn("starttls"):
                    raise SendFailed(f"STARTTLS required (TIAOJIE_SMTP_SECURITY=starttls) but {where} does not offer it")
                client.starttls(context=_tls_context(s))
                client.ehlo()
            if s.smtp_user:
                client.login(s.smtp_user, s.smtp_password)
            client.send_message(msg)
    except SendFailed:
        raise
    except smtplib.SMTPRecipientsRefused as err:
        codes = [code for code, _ in err.recipients.values()]
        raise SendFailed(f"{where} refused the recipient: {codes}",
                         permanent=all(500 <= c < 600 for c in codes)) from None
    except smtplib.SMTPDataError as err:
        raise _code_error(err, f"{where} refused the message") from None
    except smtplib.SMTPSenderRefused as err:  # the From setting is wrong: fixable, so retried
        raise SendFailed(f"{where} refused the sender {err.sender}: {err.smtp_code}") from None
    except smtplib.SMTPAuthenticationError as err:
        raise SendFailed(f"{where} login failed: {err.smtp_code}") from None  # settings may be fixed: retry
    except ssl.SSLError as err:
        raise SendFailed(f"TLS with {where} failed: {err.reason or err}") from None
    except (smtplib.SMTPException, OSError) as err:
        raise SendFailed(f"SMTP {where} failed: {type(err).__name__}: {err}") from None
