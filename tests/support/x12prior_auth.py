"""278 (005010X217) texts for the prior authorization tests, and the request they ask.

The corpus holds no 278, so these are laid out as the implementation guide's examples are (TR3
section 3: a request for outpatient services and its response, one segment a line): the UMO
(NM1*X3), the requester (NM1*1P), the subscriber, a dependent patient, the patient event (TRN, UM,
the dates, HI, PWK, the servicing provider NM1*SJ) and one service loop per procedure; the response
repeats that hierarchy with the decisions (HCR) and certified dates. Names and numbers are made up,
except in ``EXAMPLE_*`` (see there).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from otbill.domain.prior_auth import Attachment, AuthLine, AuthRequest, Person, Provider
from support.x12envelope import interchange, replace_in

__all__ = [
    "EXAMPLE_1A_278",
    "EXAMPLE_1B_278",
    "EXAMPLE_6A_278",
    "REQUEST_278",
    "RESPONSE_278",
    "SUBSCRIBER_NOT_FOUND_278",
    "replace_in",
    "sample_request",
]

_278 = partial(interchange, "278", "005010X217", "HI")  # a 278 between a clinic and a UMO

REQUEST_278 = _278("RIVEROT", "ACMEUMO", dt.datetime(2026, 1, 5, 9, 0), 21, """\
BHT*0007*13*PA-2001*20260105*0900~
HL*1**20*1~
NM1*X3*2*ACME HEALTH*****PI*12345~
HL*2*1*21*1~
NM1*1P*2*RIVER OT*****XX*1234567893~
PRV*PE*PXC*225X00000X~
HL*3*2*22*1~
NM1*IL*1*DOE*JANE****MI*ABC1230~
DMG*D8*19700101*F~
HL*4*3*23*1~
NM1*QC*1*DOE*TIM~
DMG*D8*20150601*M~
INS*N*19~
HL*5*4*EV*1~
TRN*1*PA-2001*1123456789~
UM*HS*I*AD*11:B~
DTP*AAH*RD8*20260112-20260312~
HI*ABK:M6281*ABF:R2689~
PWK*08*FX***AC*POC-2001~
NM1*SJ*1*SMITH*ANNA****XX*1245319599~
PRV*PE*PXC*225X00000X~
HL*6*5*SS*0~
DTP*472*RD8*20260112-20260312~
SV1*HC:97530:GO~
HSD*VS*12~
HL*7*5*SS*0~
DTP*472*RD8*20260112-20260312~
SV1*HC:97535:GO**UN*16~
""")  # fmt: skip

RESPONSE_278 = _278("ACMEUMO", "RIVEROT", dt.datetime(2026, 1, 7, 14, 0), 931, """\
BHT*0007*11*PA-2001*20260107*1400~
HL*1**20*1~
NM1*X3*2*ACME HEALTH*****PI*12345~
HL*2*1*21*1~
NM1*1P*2*RIVER OT*****XX*1234567893~
HL*3*2*22*1~
NM1*IL*1*DOE*JANE****MI*ABC1230~
HL*4*3*23*1~
NM1*QC*1*DOE*TIM~
HL*5*4*EV*1~
TRN*2*PA-2001*1123456789~
TRN*1*UM778899*9ACMEUMO01~
UM*HS*I*AD*11:B~
HCR*A2*CERT55501*04~
REF*NT*ADM4411~
DTP*007*RD8*20260112-20260228~
DTP*036*D8*20260228~
DTP*102*D8*20260107~
MSG*RECERTIFY WITH A PROGRESS NOTE FOR MORE VISITS~
HL*6*5*SS*0~
HCR*A2*CERT55501*04~
DTP*007*RD8*20260112-20260228~
SV1*HC:97530:GO~
HSD*VS*8~
HL*7*5*SS*0~
HCR*A1*CERT55501~
DTP*007*RD8*20260112-20260228~
SV1*HC:97535:GO**UN*16~
""")  # fmt: skip

SUBSCRIBER_NOT_FOUND_278 = _278("ACMEUMO", "RIVEROT", dt.datetime(2026, 1, 7, 14, 0), 932, """\
BHT*0007*11*PA-2001*20260107*1400~
HL*1**20*1~
NM1*X3*2*ACME HEALTH*****PI*12345~
HL*2*1*21*1~
NM1*1P*2*RIVER OT*****XX*1234567893~
HL*3*2*22*0~
NM1*IL*1*DOE*JANE****MI*ABC1230~
AAA*N**75*C~
""")  # fmt: skip


# The guide's own examples (x12.org/examples/005010x217): 1a, a referral request for review; 1b,
# its response (certified, AUTH0001); 6a, a request for a medical services reservation (BHT06 RU).
# Their first segments, through the subscriber, are as published; the patient event and service
# loops are ours (the published text of those loops was not at hand), as are the envelopes.
_EXAMPLE_EVENT = """HL*4*3*EV*1~
TRN*1*111099*9012345678~
UM*SC*I*3*11:B~
DTP*AAH*RD8*20050515-20050615~
HI*ABK:M5416~
HL*5*4*SS*0~
DTP*472*RD8*20050515-20050615~
SV1*HC:99243~
HSD*VS*1~
"""

EXAMPLE_1A_278 = _278("8189991234", "789312", dt.datetime(2005, 5, 2, 11, 1), 101, """\
BHT*0007*13*A12345*20050502*1101~
HL*1**20*1~
NM1*X3*2*MARYLAND CAPITAL INSURANCE COMPANY*****46*789312~
HL*2*1*21*1~
NM1*1P*1*GARDENER*JAMES****46*8189991234~
HL*3*2*22*1~
NM1*IL*1*SMITH*JOE****MI*12345678901~
""" + _EXAMPLE_EVENT)  # fmt: skip

EXAMPLE_1B_278 = _278("789312", "8189991234", dt.datetime(2005, 5, 2, 11, 2), 102, """\
BHT*0007*11*A12345*20050502*1102*18~
HL*1**20*1~
NM1*X3*2*MARYLAND CAPITAL INSURANCE COMPANY*****46*789312~
HL*2*1*21*1~
NM1*1P*1*GARDENER*JAMES****46*8189991234~
HL*3*2*22*1~
NM1*IL*1*SMITH*JOE****MI*12345678901~
HL*4*3*EV*1~
TRN*2*111099*9012345678~
UM*SC*I*3*11:B~
HCR*A1*AUTH0001~
DTP*007*RD8*20050515-20050615~
HI*ABK:M5416~
HL*5*4*SS*0~
HCR*A1*AUTH0001~
DTP*472*RD8*20050515-20050615~
SV1*HC:99243~
HSD*VS*1~
""")  # fmt: skip

EXAMPLE_6A_278 = _278("0010102364", "1234560010", dt.datetime(2005, 5, 2, 22, 43), 106, """\
BHT*0007*13*5269367*20050502*2243*RU~
HL*1**20*1~
NM1*X3*2*ABC PAYER*****PI*1234560010~
HL*2*1*21*1~
NM1*1P*1*GARDNER*JAMES****24*0010102364~
HL*3*2*22*1~
NM1*IL*1*SMITH*JOE****MI*12345689001~
""" + _EXAMPLE_EVENT)  # fmt: skip


def sample_request(**changes: object) -> AuthRequest:
    """The request of :data:`REQUEST_278`, as a record (diagnoses as the clinic types them)."""
    values: dict[str, object] = dict(
        trace="PA-2001", payer_name="ACME HEALTH", payer_id="12345",
        requester=Provider("RIVER OT", "1234567893", taxonomy="225X00000X"),
        subscriber=Person("JANE", "DOE", dt.date(1970, 1, 1), "F"), member_id="ABC1230",
        start=dt.date(2026, 1, 12), end=dt.date(2026, 3, 12),
        lines=(AuthLine("97530", 12, "visits", ("GO",)), AuthLine("97535", 16, "units", ("GO",))),
        diagnoses=("M62.81", "R26.89"), service_type="AD",
        servicing=Provider("SMITH", "1245319599", "ANNA", "225X00000X"),
        attachments=(Attachment("08", "POC-2001", "FX"),),
        patient=Person("TIM", "DOE", dt.date(2015, 6, 1), "M"), relationship="child",
        originator="1123456789",
    )  # fmt: skip
    values.update(changes)
    return AuthRequest(**values)  # type: ignore[arg-type]
