"""What the portal collects to serve names no third-party host a browser would fetch from."""

import re

from django.apps import apps
from django.contrib.staticfiles import finders

# A URL a page would load from elsewhere: script, style, image or font hosts.
FOREIGN = re.compile(rb"https://(cdn\.|fonts\.googleapis|fonts\.gstatic|unpkg\.com|cdnjs\.)[^\"'\s)]*")


def test_no_collected_static_file_loads_from_a_third_party_host():
    found, ignored = [], apps.get_app_config("staticfiles").ignore_patterns  # as collectstatic reads them
    for finder in finders.get_finders():
        for path, storage in finder.list(ignored):
            if path.endswith((".js", ".css", ".html")):
                with storage.open(path) as source:
                    found += [(path, m.group(0)) for m in FOREIGN.finditer(source.read())]
    assert not found, found
