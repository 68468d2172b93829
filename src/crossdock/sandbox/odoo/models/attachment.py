"""``ir.attachment``: files and links on records (odoo/addons/base/models/ir_attachment.py).

Only what a link attachment needs: ``type`` ``url`` with its ``url``, bound to a record by
``res_model``/``res_id`` (a ``Many2oneReference`` in Odoo, an integer on the wire). Binary
content is not simulated.
"""

from __future__ import annotations

from crossdock.sandbox.odoo.fields import ModelSpec, char, integer, select, selection
from crossdock.sandbox.odoo.versions import OdooVersion


def models(version: OdooVersion) -> list[ModelSpec]:
    return [
        ModelSpec(
            "ir.attachment",
            "Attachment",
            {
                "name": char("Name", required=True),
                "description": char("Description"),
                "type": select(
                    "Type", selection(("url", "URL"), ("binary", "File")), default="binary"
                ),
                "url": char("Url"),
                "res_model": char("Resource Model"),
                "res_id": integer("Resource ID"),
                "mimetype": char("Mime Type"),
            },
            order="id desc",
        )
    ]
