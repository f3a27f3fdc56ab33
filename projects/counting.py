"""The count of a vote: who passed the rule, and which of them are adopted.

Pure: the vote's figures and the tallies in, the result out, so that the rule reads in
one place and is tested without a database.

- Quorum: the session is valid only with more than two thirds of the representatives
  present (地方组织法: 三分之二以上的代表出席，始得举行).
- Ballots: per candidate, for + against + abstain + invalid cannot exceed those present.
  Invalid ballots count for nobody (and not towards the "present" rule's threshold either:
  the threshold is counted on representatives, not ballots).
- Pass: more votes for than half of all representatives (``all``) or of those present
  (``present``): ``2 × for > base``.
- Adopted: those that passed, by votes for, up to the number of projects. Candidates
  tied on the last seat are all left out and named in ``tied`` (the session votes again
  between them, a new vote).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Count:
    candidate: int
    votes_for: int
    against: int = 0
    abstain: int = 0
    invalid: int = 0

    @property
    def cast(self) -> int:
        return self.votes_for + self.against + self.abstain + self.invalid


@dataclass
class Result:
    passed: set[int] = field(default_factory=set)
    adopted: set[int] = field(default_factory=set)
    tied: set[int] = field(default_factory=set)
    rank: dict[int, int] = field(default_factory=dict)
    threshold: int = 0  # the smallest number of votes for that passes


def quorum(members: int) -> int:
    """The smallest attendance that makes the session valid: more than two thirds."""
    return members * 2 // 3 + 1


def check(*, members: int, present: int, counts: list[Count]) -> None:
    """Refuse a count that cannot be right, with the candidate's error."""
    if present < quorum(members):
        raise ValidationError(
            {
                "present": _(
                    "%(present)s of %(members)s present: the session needs more than two "
                    "thirds (%(quorum)s)."
                )
                % {"present": present, "members": members, "quorum": quorum(members)}
            }
        )
    for count in counts:
        if count.cast > present:
            raise ValidationError(
                _(
                    "A candidate has %(cast)s ballots counted but only %(present)s "
                    "representatives are present."
                )
                % {"cast": count.cast, "present": present}
            )


def count(*, members: int, present: int, rule: str, seats: int, counts: list[Count]) -> Result:
    check(members=members, present=present, counts=counts)
    base = members if rule == "all" else present
    result = Result(threshold=base // 2 + 1)
    ordered = sorted(counts, key=lambda c: (-c.votes_for, c.candidate))
    for position, c in enumerate(ordered, start=1):
        result.rank[c.candidate] = position
        if 2 * c.votes_for > base:
            result.passed.add(c.candidate)
    passing = [c for c in ordered if c.candidate in result.passed]
    if len(passing) <= seats:
        result.adopted = {c.candidate for c in passing}
        return result
    last = passing[seats - 1].votes_for
    above = [c for c in passing if c.votes_for > last]
    at_last = [c for c in passing if c.votes_for == last]
    result.adopted = {c.candidate for c in above}
    if len(above) + len(at_last) <= seats:
        result.adopted |= {c.candidate for c in at_last}
    else:
        result.tied = {c.candidate for c in at_last}
    return result
