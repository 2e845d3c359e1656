"""Content-Security-Policy for stand-alone HTML documents that Styra generates (a report's
print HTML, the checker's result page): they embed their own style sheet in <style>, so
the site policy (settings.CONTENT_SECURITY_POLICY, no inline style) would leave them
unstyled. Such a document gets a policy of its own that allows exactly its embedded style
sheets by SHA-256 hash and nothing else: no script at all, no forms, no framing."""

from __future__ import annotations

import base64
import hashlib
import re

from django.http import HttpResponse

HEADER = "Content-Security-Policy"
_STYLE = re.compile(rb"<style(?:\s[^>]*)?>(.*?)</style\s*>", re.S | re.I)


def document_policy(content: bytes) -> str:
    """The policy for one generated document (bytes of UTF-8 HTML)."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1)).digest()).decode() + "'"
            for m in _STYLE.finditer(content)
        }
    )
    style = " ".join(hashes) or "'none'"
    return (
        "default-src 'none'; "
        f"style-src {style}; "
        "img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def as_document(response: HttpResponse) -> HttpResponse:
    """Give a response holding a generated HTML document the document's own policy (the
    CSP middleware leaves a response alone that already has the header)."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type == "text/html" and not response.streaming:
        response[HEADER] = document_policy(response.content)
    return response
