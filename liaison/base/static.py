"""Static files without DEBUG: WhiteNoise, in production from the collected files and
otherwise (``make run``) straight from the source folders (``WHITENOISE_USE_FINDERS``),
where no collected folder exists and none is needed."""

from pathlib import Path

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root, prefix=None):
        # Outside production STATIC_ROOT is usually never collected: nothing to warn about.
        if Path(root).is_dir():
            super().add_files(root, prefix)
