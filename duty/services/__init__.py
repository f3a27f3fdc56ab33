"""Every change to the duty records, one service per move: activities (``activities``,
the moves of ``duty/flow.py``, their files and the cases their findings raise),
fixed contacts (``contacts``), reports to the voters (``reports``) and a
representative's availability (``availability``)."""
