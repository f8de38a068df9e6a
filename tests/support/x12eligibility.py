"""Hand-written 271s for the eligibility tests: a therapy answer with every figure, and variants."""

from __future__ import annotations

import datetime as dt

from support.x12envelope import interchange, replace_in

__all__ = ["THERAPY_271", "replace_271"]

# An answer for an OT visit, written from the 005010X279A1 examples: active Gold plan for 2025;
# OT (AD) co-pay $25 in network, $50 out; co-insurance 20%/40%; deductible remaining $150/$900;
# out of pocket remaining $2,000/$6,000; 20 visits per calendar year, 6 used; authorization
# required; Medicare Advantage named as another payer; a PT limit only in MSG text.
THERAPY_271 = interchange("271", "005010X279A1", "HB", "ACME", "OTBILL", dt.datetime(2025, 3, 1, 9, 30), 7, """\
BHT*0022*11*ELG-17*20250301*0930~
HL*1**20*1~
NM1*PR*2*ACME HEALTH*****PI*12345~
HL*2*1*21*1~
NM1*1P*2*RIVER OT*****XX*1234567893~
HL*3*2*22*0~
TRN*2*ELG-17*1123456789~
TRN*1*PAYER-99*9ACMEHLTH0~
NM1*IL*1*DOE*JANE****MI*ABC123~
DMG*D8*19700101*F~
DTP*346*D8*20250101~
DTP*347*D8*20251231~
EB*1*IND*30*PR*GOLD PPO~
EB*1*IND*AD^PT*PR*GOLD PPO~
EB*B*IND*AD***27*25*****Y~
EB*B*IND*AD***27*50*****N~
EB*A*IND*AD*****0.2****Y~
EB*A*IND*AD*****0.4****N~
EB*C*IND*30***29*150*****Y~
EB*C*IND*30***29*900*****N~
EB*G*IND*30***29*2000*****Y~
EB*G*IND*30***29*6000*****N~
EB*F*IND*AD***23***VS*20*Y*Y~
MSG*OT AND PT VISITS COMBINED~
EB*F*IND*AD***22***99*6**Y~
EB*D*IND*PT~
MSG*PHYSICAL THERAPY LIMITED TO 30 VISITS PER PLAN YEAR~
EB*R**30*HN*SUNNY MEDICARE ADVANTAGE~
LS*2120~
NM1*PRP*2*SUNNY HEALTH*****PI*77777~
LE*2120~
""", usage="P")  # fmt: skip


def replace_271(old: str, new: str) -> str:
    """THERAPY_271 with one text replaced (the text must be there)."""
    return replace_in(THERAPY_271, old, new)
