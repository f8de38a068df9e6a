"""Small hand-made X12 files with one value to swap in: the bad-number tests and the fuzz seeds.

Each builder returns the file's bytes, with the envelope counts right, so that a test changes one
element and the reader meets exactly that element.
"""

from __future__ import annotations

__all__ = ["one_claim_837p", "tiny_835", "tiny_999"]

_ISA = (
    "ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{receiver:<15}*250301*1200*^*00501"
    "*000000005*0*P*:~"
)


def _interchange(functional: str, version: str, set_id: str, body: list[str]) -> bytes:
    head = _ISA.format(sender="SENDER", receiver="RECEIVER")
    st = [f"ST*{set_id}*0001*{version}", *body]
    text = head + f"GS*{functional}*SENDER*RECEIVER*20250301*1200*5*X*{version}~"
    text += "~".join(st) + f"~SE*{len(st) + 1}*0001~GE*1*5~IEA*1*000000005~"
    return text.encode()


def one_claim_837p(units: str = "2", pointers: str = "1", charge: str = "90") -> bytes:
    """An 837P with one Medicare claim of one 97530 line: SV1 charge, units and pointers given."""
    body = [
        "BHT*0019*00*1-1*20250220*1030*CH",
        "NM1*41*2*OTBILL*****46*OTBILL",
        "PER*IC*BILLING OFFICE*TE*5555550100",
        "NM1*40*2*CLEARINGHOUSE*****46*CLEARINGHOUSE",
        "HL*1**20*1",
        "PRV*BI*PXC*225X00000X",
        "NM1*85*2*Hands On OT*****XX*1234567893",
        "N3*9 Oak Ave",
        "N4*Austin*TX*787011234",
        "REF*EI*741234567",
        "HL*2*1*22*0",
        "SBR*P*18*******MB",
        "NM1*IL*1*Lee*Ann****MI*1EG4TE5MK73",
        "N3*1 Main St",
        "N4*Austin*TX*78701",
        "DMG*D8*19480502*F",
        "NM1*PR*2*MEDICARE*****PI*04412",
        f"CLM*CLM-0001*{charge}***11:B:1*Y*A*Y*Y",
        "HI*ABK:M6281",
        "LX*1",
        f"SV1*HC:97530:GO*{charge}*UN*{units}***{pointers}",
        "DTP*472*D8*20250214",
    ]
    return _interchange("HC", "005010X222A1", "837", body)


def tiny_835(clp_paid: str = "70", svc_paid: str = "70") -> bytes:
    """An 835 paying one claim of one line; CLP04 and SVC03 given (the BPR total is not)."""
    body = [
        "BPR*I*70*C*ACH*CCP*01*1*DA*2*3**01*4*DA*5*20250305",
        "TRN*1*EFT123*1512345678",
        "N1*PR*ACME HEALTH",
        "N1*PE*HANDS ON OT*XX*1234567893",
        "LX*1",
        f"CLP*CLM-0001*1*90*{clp_paid}*20*12*ICN777*11*1",
        "CAS*CO*45*0",
        "NM1*QC*1*LEE*ANN****MI*1EG4TE5MK73",
        f"SVC*HC:97530:GO*90*{svc_paid}**2",
        "DTM*472*20250214",
        "CAS*PR*1*20",
    ]
    return _interchange("HP", "005010X221A1", "835", body)


def tiny_999(accepted_sets: str = "1") -> bytes:
    """A 999 accepting one 837 transaction set; AK904 (sets accepted) given."""
    body = ["AK1*HC*17456*005010X222A1", "AK2*837*0001", "IK5*A", f"AK9*A*1*1*{accepted_sets}"]
    return _interchange("FA", "005010X231A1", "999", body)
