"""Small, valid order files built in code, so each test can break exactly one thing."""

from __future__ import annotations

ISA = "ISA*00*          *00*          *ZZ*BUYER          *ZZ*SELLER         *250322*1200*U*00401*000000101*0*P*>"


def x12_order(po: str = "PO-1", control: str = "0001", lines: int = 2, quantity: str = "12") -> list[str]:
    """One 850 transaction set, ST to SE, with correct counts."""
    body = [f"BEG*00*SA*{po}**20250322", "DTM*002*20250401", "N1*BY*Buyer*UL*5412345000013",
            "N1*ST*Store 7*UL*5412345000020", "N3*1 Main Street", "N4*Brussels**1000*BE"]
    for n in range(1, lines + 1):
        body += [f"PO1*{n}*{quantity if n == 1 else n}*CA*2.50**VN*SKU-{n}*UP*01234567890{n}",
                 f"PID*F****Item {n}"]
    body.append(f"CTT*{lines}")
    return [f"ST*850*{control}", *body, f"SE*{len(body) + 2}*{control}"]


def x12_file(*sets: list[str], isa: str = ISA, group: str = "7", iea_control: str = "000000101",
             ge_count: int | None = None, terminator: str = "~\n") -> bytes:
    segments = [isa, f"GS*PO*BUYER*SELLER*20250322*1200*{group}*X*004010"]
    for transaction_set in sets:
        segments += transaction_set
    segments += [f"GE*{len(sets) if ge_count is None else ge_count}*{group}", f"IEA*1*{iea_control}"]
    return (terminator.join(segments) + terminator).encode()


def edifact_order(reference: str = "1", po: str = "PO-1", quantity: str = "8") -> list[str]:
    body = [f"BGM+220+{po}+9", "DTM+137:20250322:102", "DTM+2:20250401:102", "NAD+BY+5412345000013::9",
            "NAD+DP+5412345000020::9", "CUX+2:EUR:9", "LIN+1++5412345000037:EN", f"QTY+21:{quantity}",
            "PRI+AAA:2.50", "LIN+2++5412345000044:EN", "QTY+21:3:CS", "UNS+S", "CNT+2:2"]
    return [f"UNH+{reference}+ORDERS:D:96A:UN:EAN008", *body, f"UNT+{len(body) + 2}+{reference}"]


def edifact_file(*messages: list[str], reference: str = "42", unz_reference: str | None = None,
                 unz_count: int | None = None, una: str = "UNA:+.? '") -> bytes:
    segments = ["UNB+UNOC:3+5412345000013:14+5412345000099:14+250322:1200+" + reference]
    for message in messages:
        segments += message
    segments.append(f"UNZ+{len(messages) if unz_count is None else unz_count}+{unz_reference or reference}")
    return (una + "\n" + "'\n".join(segments) + "'\n").encode()
