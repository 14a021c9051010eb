"""o2c's own ledger as the system of record (the embedded default): o2c is the books, so a read brings
nothing new and a push has nowhere else to go."""

from __future__ import annotations

from datetime import datetime

from o2c.domain.customers import Customer
from o2c.ports.system_of_record import (
    AdjustmentPush,
    CreditHoldPush,
    DunningPush,
    InvoicePush,
    PaymentPush,
    SalePush,
    Snapshot,
)


class OwnLedger:
    name = "o2c"

    def read(self, since: datetime | None, known: dict[str, Customer]) -> Snapshot:
        return Snapshot((), (), (), (), (), (), datetime.now())

    def push_sale(self, sale: SalePush) -> str:
        return f"o2c:{sale.key}"

    def push_invoice(self, invoice: InvoicePush) -> str:
        return f"o2c:{invoice.key}"

    def push_payment(self, payment: PaymentPush) -> str:
        return f"o2c:{payment.key}"

    def push_adjustment(self, adjustment: AdjustmentPush) -> str:
        return f"o2c:{adjustment.key}"

    def push_dunning(self, dunning: DunningPush) -> str:
        return f"o2c:{dunning.key}"

    def push_credit_hold(self, hold: CreditHoldPush) -> str:
        return f"o2c:{hold.key}"
