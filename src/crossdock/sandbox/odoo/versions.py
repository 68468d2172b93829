"""What differs between the Odoo versions the sandbox simulates (16, 17, 18, 19).

Every version-dependent behaviour is decided here, in one place, with the Odoo source it
follows, so the models and protocols only ask questions ("does this version have the
immediate transfer wizard?") and never compare version numbers themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from crossdock.sandbox.odoo import SUPPORTED_VERSIONS


@dataclass(frozen=True)
class OdooVersion:
    """One simulated Odoo major version and the behaviours that come with it."""

    major: int

    def __post_init__(self) -> None:
        if self.major not in SUPPORTED_VERSIONS:
            supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
            raise ValueError(f"Odoo {self.major} is not simulated; choose one of {supported}")

    # --- release (odoo/release.py, odoo/service/common.py RPC_VERSION_1) ---------------

    @property
    def server_version(self) -> str:
        return f"{self.major}.0"

    @property
    def version_info(self) -> list[int | str]:
        return [self.major, 0, 0, "final", 0, ""]

    # --- protocols ---------------------------------------------------------------------

    @property
    def jsonrpc_error_code(self) -> int:
        """``error.code`` of a JSON-RPC error (odoo/http.py ``JsonRPCDispatcher.handle_error``).

        16 to 18 send the arbitrary 200; 19 sends 0 ("we don't care of this code").
        """
        return 0 if self.major >= 19 else 200

    @property
    def has_json2(self) -> bool:
        """``/json/2/<model>/<method>`` exists from 19 (addons/web/controllers/json2.py)."""
        return self.major >= 19

    @property
    def has_web_version(self) -> bool:
        """``GET /web/version`` exists from 19 (external_api.rst: replaces common.version)."""
        return self.major >= 19

    def private_method_message(self, model: str, method: str) -> str:
        """The AccessError text for ``_private`` methods.

        16/17: ``check_method_name`` in odoo/models.py; 18+: ``get_public_method`` in
        odoo/service/model.py, which names the model too.
        """
        if self.major >= 18:
            return f"Private methods (such as '{model}.{method}') cannot be called remotely."
        return f"Private methods (such as {method}) cannot be called remotely."

    def missing_method_message(self, model: str, method: str) -> str:
        """The AttributeError text for an unknown method (odoo/api.py, odoo/service/model.py)."""
        if self.major >= 18:
            return f"The method '{model}.{method}' does not exist"
        if self.major == 17:
            return f"The method '{method}' does not exist on the model '{model}'"
        return f"type object '{model}' has no attribute '{method}'"

    @property
    def records_result_as_ids(self) -> bool:
        """Whether a method returning a recordset answers its ids over RPC.

        18+ (odoo/service/model.py ``call_kw``) converts recordsets to ids; 16/17 hand them
        to ``json_default``, which falls back to ``str()``, e.g. ``"mail.activity(5,)"``.
        """
        return self.major >= 18

    # --- ORM messages ------------------------------------------------------------------

    def required_field_message(self, model_desc: str, model: str, string: str, name: str) -> str:
        """A NOT NULL violation turned into a ValidationError by ``retrying``.

        16-18: ``_as_validation_error`` in odoo/service/model.py; 19: ``_sql_error_to_message``.
        """
        if self.major >= 19:
            return (
                "The operation cannot be completed: Missing required value for the field "
                f"'{string}' ({name})"
            )
        return (
            "The operation cannot be completed:\n"
            "- Create/update: a mandatory field is not set.\n"
            "- Delete: another model requires the record being deleted. "
            "If possible, archive it instead.\n\n"
            f"Model: {model_desc} ({model})\n"
            f"Field: {string} ({name})\n"
        )

    # --- stock (addons/stock/models/stock_picking.py, stock_move.py, stock_move_line.py) --

    @property
    def immediate_transfer(self) -> bool:
        """16 asks "Immediate Transfer?" when nothing is done (stock_immediate_transfer.py)."""
        return self.major == 16

    @property
    def uses_picked(self) -> bool:
        """17+ track ``picked`` on moves and move lines instead of a done quantity."""
        return self.major >= 17

    @property
    def move_qty_field(self) -> str:
        """The done/picked quantity on stock.move: ``quantity_done`` (16), ``quantity`` (17+)."""
        return "quantity_done" if self.major == 16 else "quantity"

    @property
    def move_line_qty_field(self) -> str:
        """The quantity on stock.move.line: ``qty_done`` (16), ``quantity`` (17+)."""
        return "qty_done" if self.major == 16 else "quantity"

    @property
    def has_move_ids_without_package(self) -> bool:
        return self.major <= 18

    @property
    def no_quantities_message(self) -> str:
        """``_get_without_quantities_error_message`` of stock.picking."""
        if self.major == 16:
            return (
                "You cannot validate a transfer if no quantities are reserved nor done. "
                "To force the transfer, switch in edit mode and encode the done quantities."
            )
        if self.major == 17:
            return (
                "You cannot validate a transfer if no quantities are reserved. "
                "To force the transfer, encode quantities."
            )
        return (
            "You cannot validate a transfer if no quantities are reserved, "
            "or if only non-reserved moves are picked."
        )

    # --- products (addons/product/models/product_template.py, stock's override) ---------

    @property
    def storable_by_detailed_type(self) -> bool:
        """16/17: storable means ``detailed_type == 'product'``; 18+ use ``is_storable``."""
        return self.major <= 17

    # --- sale / purchase / account -----------------------------------------------------

    @property
    def sale_has_done_state(self) -> bool:
        """16 still has the 'done' (Locked) state; 17 replaced it with the ``locked`` flag."""
        return self.major == 16

    @property
    def line_uom_field(self) -> str:
        """Order line unit field: ``product_uom`` up to 18, ``product_uom_id`` in 19."""
        return "product_uom_id" if self.major >= 19 else "product_uom"

    @property
    def nothing_to_invoice_message(self) -> str:
        """``sale.order._nothing_to_invoice_error_message`` (addons/sale/models/sale_order.py)."""
        if self.major == 16:
            return (
                "There is nothing to invoice!\n\n"
                "Reason(s) of this behavior could be:\n"
                '- You should deliver your products before invoicing them: Click on the "truck" '
                "icon (top-right of your screen) and follow instructions.\n"
                "- You should modify the invoicing policy of your product: Open the product, go "
                'to the "Sales" tab and modify invoicing policy from "delivered quantities" to '
                '"ordered quantities". For Services, you should modify the Service Invoicing '
                "Policy to 'Prepaid'."
            )
        return (
            "Cannot create an invoice. No items are available to invoice.\n\n"
            "To resolve this issue, please ensure that:\n"
            "   \u2022 The products have been delivered before attempting to invoice them.\n"
            "   \u2022 The invoicing policy of the product is configured correctly.\n\n"
            "If you want to invoice based on ordered quantities instead:\n"
            "   \u2022 For consumable or storable products, open the product, go to the "
            "'General Information' tab and change the 'Invoicing Policy' from 'Delivered "
            "Quantities' to 'Ordered Quantities'.\n"
            "   \u2022 For services (and other products), change the 'Invoicing Policy' to "
            "'Prepaid/Fixed Price'.\n"
        )

    @property
    def draft_move_name(self) -> str | bool:
        """The name of a draft invoice: '/' up to 17, unset (False) from 18."""
        return False if self.major >= 18 else "/"
