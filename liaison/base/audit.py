"""The security audit (MLPS level 3, PIPL): who read a constituent's personal data, and
every security event, with time, user, address, object and result.

Append-only: a row is never updated or deleted by the product (``save`` of an existing
row and ``delete`` raise), except by ``manage.py audit_prune`` once older than
``AUDIT_KEEP_DAYS``. Tamper-evident: each row carries the SHA-256 of its own content and
of the previous row's hash, so an edited, inserted or removed row breaks the chain, which
``manage.py audit_verify`` reports. Only the audit administrator reads it (``duties.py``).
"""

import hashlib
import json

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.ratelimit import client_ip

# One number for the advisory lock that makes appends one at a time on PostgreSQL
# (SQLite's IMMEDIATE transactions already do).
CHAIN_LOCK = 7_310_014


class AuditAction(models.TextChoices):
    READ = "read", _("read personal data")
    EXPORT = "export", _("export")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKOUT = "lockout", _("lockout")
    LOGOUT = "logout", _("logout")
    ROLE_CHANGE = "role_change", _("role change")
    TWO_FACTOR = "two_factor", _("two-factor")
    PASSWORD = "password", _("password change")
    TOKEN = "token", _("API token")


class AuditRecord(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now)
    # The id and name as they were: no foreign key, so that a deleted user leaves the
    # row (and the chain) as written.
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    result = models.CharField(_("outcome"), max_length=20, default="ok")
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        app_label = "liaison"
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["user_id", "at"], name="audit_user_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit records are append-only")

    def content(self) -> str:
        return json.dumps(
            [
                self.at.isoformat(),
                self.user_id,
                self.username,
                self.address,
                self.action,
                self.object_type,
                self.object_id,
                self.result,
                self.detail,
                self.previous_hash,
            ],
            ensure_ascii=False,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.content().encode()).hexdigest()


GENESIS = "0" * 64


def audit(
    *,
    action: str,
    request=None,
    user=None,
    username: str = "",
    obj=None,
    object_type: str = "",
    object_id="",
    result: str = "ok",
    detail: str = "",
) -> AuditRecord:
    """Append one row to the chain."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
    row = AuditRecord(
        at=timezone.now(),
        user_id=user.pk if user is not None else None,
        username=(user.get_username() if user is not None else username)[:150],
        address=client_ip(request)[:64] if request is not None else "",
        action=action,
        object_type=object_type[:50],
        object_id=str(object_id)[:64],
        result=result[:20],
        detail=detail[:200],
    )
    if connection.vendor == "postgresql":
        return _append_in_postgresql(row)
    return _append(row)


@transaction.atomic
def _append(row: AuditRecord) -> AuditRecord:
    # SQLite's IMMEDIATE transactions make appends one at a time.
    last = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first()
    row.previous_hash = last or GENESIS
    row.hash = row.compute_hash()
    row.save()
    return row


def _append_in_postgresql(row: AuditRecord) -> AuditRecord:
    """The lock, the previous hash and the insert in one call of the function
    ``liaison_audit_append`` (migration 0022): a read of a case page appends a row, and
    five round trips under the chain's lock were most of that page's database time. The
    function hashes ``content()`` as Python does: the JSON up to the previous hash is
    sent, the previous hash is added in the database."""
    row.previous_hash = ""
    content = row.content()
    # json.dumps ends the list with ', ""]' for the empty previous hash.
    head = content[: -len('""]')]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT row_id, row_previous, row_hash FROM liaison_audit_append("
            "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [row.at, row.user_id, row.username, row.address, row.action, row.object_type,
             row.object_id, row.result, row.detail, head, CHAIN_LOCK],
        )  # fmt: skip
        row.pk, row.previous_hash, row.hash = cursor.fetchone()
    row._state.adding, row._state.db = False, connection.alias
    return row


def verify() -> list[str]:
    """The rows where the chain breaks: a row whose content does not give its hash, or
    whose previous hash is not the hash of the row before it (a row edited, inserted or
    removed). The oldest row kept starts the chain (older ones may have been pruned)."""
    problems, previous = [], None
    rows = AuditRecord.objects.order_by("id").iterator(chunk_size=2000)
    for row in rows:
        if row.compute_hash() != row.hash:
            problems.append(f"#{row.pk}: content does not match its hash")
        if previous is not None and row.previous_hash != previous:
            problems.append(f"#{row.pk}: does not follow the row before it")
        previous = row.hash
    return problems


def prune() -> int:
    """Remove rows older than AUDIT_KEEP_DAYS (at least 180): the only deletion there is."""
    keep = max(settings.AUDIT_KEEP_DAYS, 180)
    cutoff = timezone.now() - timezone.timedelta(days=keep)
    count, _ = AuditRecord.objects.filter(at__lt=cutoff)._raw_delete(AuditRecord.objects.db)
    return count


def audit_read(request, obj=None, *, object_type: str = "", object_id="", detail: str = ""):
    """A read of a constituent's personal data: a case page, a visit sheet, an API detail
    or list, a phone lookup."""
    return audit(
        action=AuditAction.READ,
        request=request,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
