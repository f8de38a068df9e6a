"""Small, guide-clean 276 and 277 texts for the claim-status tests (005010X212)."""

from __future__ import annotations

import datetime as dt

from support.x12envelope import interchange, replace_in

__all__ = ["DEMO_276", "DEMO_277", "replace_in"]

DEMO_276 = interchange("276", "005010X212", "HR", "CLINIC", "PAYER", dt.datetime(2025, 4, 1, 9, 0), 7, """\
BHT*0010*13*TR7*20250401*0900~
HL*1**20*1~
NM1*PR*2*ACME HEALTH*****PI*12345~
HL*2*1*21*1~
NM1*41*2*RIVER OT*****46*CLINIC~
HL*3*2*19*1~
NM1*1P*2*RIVER OT*****XX*1234567893~
HL*4*3*22*0~
DMG*D8*19700101*F~
NM1*IL*1*DOE*JANE****MI*ABC123~
TRN*1*C-41~
REF*1K*PCN9001~
REF*EJ*C-41~
AMT*T3*250.00~
DTP*472*RD8*20250303-20250305~
""")  # fmt: skip

DEMO_277 = interchange("277", "005010X212", "HN", "PAYER", "CLINIC", dt.datetime(2025, 4, 1, 9, 1), 8, """\
BHT*0010*08*TR7*20250401*0901*DG~
HL*1**20*1~
NM1*PR*2*ACME HEALTH*****PI*12345~
HL*2*1*21*1~
NM1*41*2*RIVER OT*****46*CLINIC~
HL*3*2*19*1~
NM1*1P*2*RIVER OT*****XX*1234567893~
HL*4*3*22*0~
NM1*IL*1*DOE*JANE****MI*ABC123~
TRN*2*C-41~
STC*F1:65*20250320**250.00*180.00*20250321~
REF*1K*PCN9001~
REF*EJ*C-41~
DTP*472*RD8*20250303-20250305~
""")  # fmt: skip
