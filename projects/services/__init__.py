"""Every change to a livelihood project or a vote: one function per move.

``topics`` collects (staff, a case or a cluster of cases, the public site),
``screening`` makes the candidate list, ``votes`` opens, counts and publishes the vote,
``delivery`` assigns, reports, rates.
"""
