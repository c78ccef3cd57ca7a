"""Personal data at rest (PIPL): full ID numbers and phones encrypted with rotatable keys kept outside the
database, every display or search of them logged, closed cases anonymised after their retention period.

The masking rules and the sealing of parties are ``engine.core.privacy``'s; the keys ``engine.core.datakeys``.
"""

from engine.core.datakeys import DataKeyMissing
from engine.privacy import keys, retention
from engine.privacy.access import FULL_PARTY_ROLES, access_log, full_parties, lookup, may_see_full

__all__ = ["FULL_PARTY_ROLES", "DataKeyMissing", "access_log", "full_parties", "keys", "lookup", "may_see_full",
           "retention"]
