"""E-mail through Django's backends (SMTP in production, the console locally). The
opt-out link goes in the text and in List-Unsubscribe (RFC 2369 and RFC 8058 one-click),
so mail programs show their own "unsubscribe" button."""

import smtplib

from django.core.mail import EmailMessage

from hienmau.outreach.channels import Transport, TransportError


class EmailTransport(Transport):
    channel = "email"

    def send(self, message) -> str:
        from hienmau.outreach.consent import opt_out_url

        email = EmailMessage(subject=message.subject or "HienMau", body=message.body,
                             to=[message.address], headers={
                                 "List-Unsubscribe": f"<{opt_out_url(message)}>",
                                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                                 "X-Hienmau-Message": str(message.code)})
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            # smtplib raises this for any refusal at RCPT TO, a 4xx ("451 try later",
            # greylisting) too: only a 5xx means the address itself is refused.
            bounced = all(code >= 500 for code, _text in error.recipients.values())
            raise TransportError(f"SMTP: {error.recipients}", bounced=bounced) from None
        except smtplib.SMTPResponseException as error:
            # 5xx: the server will never take it; 4xx: try again later.
            raise TransportError(f"SMTP {error.smtp_code}: {error.smtp_error!r}",
                                 permanent=error.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TransportError(f"SMTP: {error}") from None
        return email.extra_headers["X-Hienmau-Message"]



