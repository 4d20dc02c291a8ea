"""The portal's WSGI application with faults planted, for tests that watch a real server meet an error
in the middle of a response: `ASCN_PLANTED_FAULTS="module:function,..."` makes each such function raise
when it is called with an argument that mentions `MARKER` (say a project titled so), and run as usual
otherwise. Serve it with gunicorn (`bench.serving.serve(port, app="ascn_portal.testing.faults")`)."""

import functools
import importlib
import os

from django.core.wsgi import get_wsgi_application

MARKER = "planted-fault"

application = get_wsgi_application()


class PlantedFault(RuntimeError):
    pass


def _plant(path: str) -> None:
    module_name, name = path.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)

    @functools.wraps(original)
    def faulty(*args, **kwargs):
        if any(MARKER in repr(value) for value in (*args, *kwargs.values())):
            raise PlantedFault(f"the fault planted in {path}")
        return original(*args, **kwargs)

    setattr(module, name, faulty)


for planted in filter(None, os.environ.get("ASCN_PLANTED_FAULTS", "").split(",")):
    _plant(planted)
