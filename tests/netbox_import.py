"""Import a topoctl NetBox export directory into NetBox as a person does in the web UI: each file, in name
order, uploaded to the object type's bulk-import page (``/dcim/<type>/import/``, NetBox's BulkImportView
and its import forms), logged in as a superuser. Then print, as one JSON line, what NetBox's database holds.

Run by ``tests/netbox_instance.py`` with NetBox's own Python (its venv), NETBOX_ROOT pointing at the
instance's configuration: ``python netbox_import.py DIRECTORY``. Exits 1 with NetBox's own error messages
("Record 3 rack: ...") when an import is refused. Not imported under topoctl's Python: Django is imported
inside main().
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

# file name (after its number) -> NetBox model whose bulk-import view takes it
MODELS = {
    "manufacturers": "manufacturer",
    "device-roles": "devicerole",
    "sites": "site",
    "racks": "rack",
    "device-types": "devicetype",
    "devices": "device",
    "interfaces": "interface",
    "cables": "cable",
}


def main(directory: Path) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")
    import django

    django.setup()
    from dcim.models import Cable, Device, Interface
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from users.models import User

    setup_test_environment()  # the client keeps each response's template context (the form's errors)
    user = User.objects.filter(username="topoctl").first() or User.objects.create_superuser("topoctl")
    client = Client()
    client.force_login(user)
    timings = {}
    for path in sorted(directory.glob("*.yaml")):
        model = MODELS[path.stem.split("-", 1)[1]]
        began = time.monotonic()
        with open(path, "rb") as handle:
            response = client.post(reverse(f"dcim:{model}_bulk_import"), {
                "import_method": "upload", "upload_file": handle, "format": "yaml", "csv_delimiter": "auto",
            })
        timings[path.name] = round(time.monotonic() - began, 2)
        if response.status_code != 302:
            form = response.context["form"] if response.context else None
            errors = form.errors.get_json_data() if form is not None else response.content.decode()[-2000:]
            print(json.dumps({"file": path.name, "status": response.status_code, "errors": errors}, indent=1))
            return 1
    cables = []
    for cable in Cable.objects.prefetch_related("terminations__termination"):
        ends = {"A": [], "B": []}
        for end in cable.terminations.all():
            ends[end.cable_end].append([end.termination.device.name, end.termination.name])
        cables.append([cable.label, ends["A"], ends["B"], cable.type, float(cable.length), cable.length_unit])
    result = {
        "devices": Device.objects.count(),
        "interfaces": Interface.objects.count(),
        "interfaces_per_device": dict(Counter(Interface.objects.values_list("device__name", flat=True))),
        "cables": cables,
        "timings_s": timings,
    }
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
