"""psycopg's memo of converted statements, long enough for the case page's.

With server-side binding psycopg turns each statement's ``%s`` into ``$n`` and keeps the
result, but only for statements of up to 4,096 characters: a longer one is split and
converted again on every execution. A case page reads its case in one statement of about
5,100 characters (its names, call-back, parts and files as columns), whose conversion
was 0.44 ms of the page's 2.4 ms. The memo keeps 128 statements whatever their length;
every statement here is built by the code, none from input, so longer ones cost at most
a few megabytes. ``install`` raises the limit (``ready``)."""

MAX_CACHED_STATEMENT_LENGTH = 16_384


def install() -> None:
    try:
        import psycopg._queries as queries
    except ImportError:  # a psycopg that keeps it elsewhere: statements still run
        return
    if getattr(queries, "MAX_CACHED_STATEMENT_LENGTH", 0) < MAX_CACHED_STATEMENT_LENGTH:
        queries.MAX_CACHED_STATEMENT_LENGTH = MAX_CACHED_STATEMENT_LENGTH
