"""Receipt codes: how a resident without a household code finds their wish again.

Read aloud on the phone and copied from a paper slip by elderly residents, so the alphabet
leaves out characters that look alike (0/O/D/Q, 1/I/L/J, 2/Z, 5/S, 6/G, 8/B, U/V).
Ten characters from 18 give about 41 bits: guessing is hopeless, and the lookup page is
rate-limited on top of that. Printed in two groups of five: ``K7CM3-XHT9P``.
"""

import secrets

ALPHABET = "3479ACEFHKMNPRTWXY"
LENGTH = 10
GROUP = 5


def new_receipt_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_receipt_code(text: str) -> str:
    """Upper-case, drop spaces and dashes; anything outside the alphabet makes it invalid ('')."""
    code = "".join(ch for ch in (text or "").upper() if not ch.isspace() and ch not in "-_")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def format_receipt_code(code: str) -> str:
    if not code:
        return ""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
