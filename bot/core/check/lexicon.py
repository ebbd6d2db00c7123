# ruff: noqa: E501  (patterns and queries read better unbroken)
"""Compiled patterns the detectors use (compiled once, at import).

Words a caseworker actually writes, grouped by what they signal. Patterns are
case-insensitive unless their name ends in ``_CS`` (where capitals carry the
meaning: names, initials, titles).
"""

from __future__ import annotations

import re

IC = re.IGNORECASE


def _words(*alternatives: str) -> str:
    return r"(?:" + "|".join(alternatives) + r")"


AGENCY_NAME = _words(
    r"DCFS",
    r"DCF",
    r"DYS",
    r"LCCS",
    r"(?:Lucas County )?Children(?:'s)? Services",
    r"Department of Children and Famil(?:y Services|ies)",
    r"Department of Youth Services",
    r"Children and Family Services",
    r"(?:my|our) (?:agency|department|dept\.?)",
    r"the agency",
)
AGENCY_MENTION = re.compile(r"\b" + AGENCY_NAME + r"\b", IC)
# Weaker: the author's employer without a name; enough to give other cues a work context.
WORK_CONTEXT = re.compile(
    r"\b(?:at work|on shift|on duty|during (?:my )?shift|at the office|work(?:place)?|my job|"
    r"co-?workers?|colleagues?|caseworkers?|case ?load|supervisors?|the unit|on the unit)\b",
    IC,
)

PULSE = re.compile(
    r"\b(?:(?:on|to|via|in) (?:DYS )?Pulse|Pulse (?:post|feed|page|board)|intranet)\b", IC
)

DISCLAIMER = re.compile(
    r"(?:views|opinions|postings|posts|thoughts|words)\b[^.!?\n]{0,60}?\b(?:are|is|belong)\b"
    r"[^.!?\n]{0,30}?\b(?:my own|mine|solely)"
    r"|\bdo(?:es)? not (?:necessarily |necessary )?(?:reflect|represent)"
    r"|\bnot (?:speaking|posting|writing) (?:on behalf of|for)\b"
    r"|\b(?:views|opinions|thoughts)(?: are)? (?:my own|mine)\b|\bVMO\b",
    IC,
)

# --- people the author serves -------------------------------------------------

# "youth" is also a kind of sports team, choir or church group, never a client there.
YOUTH = (
    r"youths?(?!\s+(?:soccer|group|league|pastor|ministry|sports|camp|choir|team|football|"
    r"baseball|basketball|hockey|orchestra|symphony|night|retreat|center|club))"
)

_PERSON = _words(
    r"kids?",
    r"child(?:ren)?",
    YOUTH,
    r"teens?",
    r"teenagers?",
    r"boys?",
    r"girls?",
    r"famil(?:y|ies)",
    r"moms?",
    r"dads?",
    r"mothers?",
    r"fathers?",
    r"parents?",
    r"babies",
    r"baby",
    r"toddlers?",
    r"infants?",
    r"siblings?",
    r"clients?",
    r"residents?",
    r"detainees?",
    r"juveniles?",
    r"minors?",
    r"students?",
    r"kiddos?",
    r"young (?:man|woman|men|women|people|person)",
)
_SERVE_VERB = _words(
    r"work(?:ed)? with",
    r"serve[ds]?",
    r"supervise[ds]?",
    r"transport(?:ed)?",
    r"placed",
    r"removed",
    r"visit(?:ed)?",
    r"investigat(?:e|ed)",
    r"manage[ds]?",
    r"met with",
    r"interviewed",
    r"picked up",
    r"dropped off",
    r"counsel(?:ed)?",
    r"care for",
    r"look after",
    r"have on my caseload",
    r"had to (?:remove|place|transport)",
)
_LOCATION_IN_FACILITY = (
    r"(?:room|unit|cottage|pod|wing|cell|dorm|bed|bunk|hall)\s*#?\s*[A-Z0-9][\w-]*"
)

CLIENT_CUE = re.compile(
    "|".join(
        (
            r"\b(?:my|our|a|one of (?:my|our)|the|his|her|their)\s+(?:former\s+|new\s+|current\s+|"
            r"youngest\s+|oldest\s+)?(?:clients?|caseload|case ?load|detainees?|wards?)\b",
            r"\bfoster\s+(?:kids?|child(?:ren)?|youths?|teens?|bab(?:y|ies)|sons?|daughters?|boys?|"
            r"girls?|siblings?|famil(?:y|ies)|placements?|care)\b",
            r"\b"
            + _PERSON
            + r"\s+(?:on|from|in)\s+(?:my|our)\s+(?:caseload|case ?load|unit|program|"
            r"facility|cottage|pod|cases?|group home)\b",
            r"\b(?:" + _PERSON + r"|\d{1,2}[- ](?:year|yr)[- ]old|\d{1,2}\s?y/?o)\s+(?:\w+\s+){0,2}"
            r"(?:in|from|on)\s+" + _LOCATION_IN_FACILITY,
            r"\b"
            + _PERSON
            + r"\s+(?:at|in|from)\s+(?:the|our|my)\s+(?:group home|shelter|facility|"
            r"program|placement|detention(?: center)?|residential(?: program)?)\b",
            r"\b(?:DYS|DCF|DCFS|LCCS|detained|committed|placed|removed|adopted|court[- ]involved|"
            r"system[- ]involved|in[- ]care)\s+(?:youths?|kids?|child(?:ren)?|teens?|boys?|girls?|"
            r"minors?|juveniles?)\b",
            r"\b"
            + _PERSON
            + r"\s+(?:that |who )?(?:I|we)\s+(?:just\s+|recently\s+|have\s+)?"
            + _SERVE_VERB
            + r"\b",
            r"\b(?:birth|bio|biological)\s+(?:moms?|dads?|mothers?|fathers?|parents?|famil(?:y|ies))\b",
            r"\b(?:on|from) my caseload\b",
            r"\b(?:one of |some of |all of )?(?:my|our) (?:families|clients|cases|youths|residents|foster kids)\b",
            r"\b(?:during|at|on|from|after) intake\b",
            r"\b(?:picked up|dropped off|transported|placed|removed|interviewed|drove|visited|restrained)"
            r" (?:a|the|two|three|my|our) (?:new )?(?:"
            + YOUTH
            + r"|teens?|clients?|juveniles?|detainees?|"
            r"residents?)\b",
            r"\b(?:transported|placed|removed|interviewed|restrained) (?:a|the|two|three) (?:new )?"
            r"(?:kids?|child(?:ren)?|boys?|girls?|siblings|bab(?:y|ies)|infants?|toddlers?)\b",
            r"\b(?:working (?:on )?a (?:new )?case|new case (?:today|this week|came in)|"
            r"open(?:ed)? a case|(?:caught|assigned|got) a (?:new )?case(?! for))\b",
            r"\b(?:home visit|removal|supervised visit(?:ation)?|case plan|case ?worker visit)\b",
            r"\bclient'?s\b",
            r"\b(?:mi|mis|nuestros?|nuestras?|mon|ma|mes)\s+client(?:e|es|s)?\b",
        )
    ),
    IC,
)
# Third parties whose case it could be (not the author's own family).
THIRD_PARTY = re.compile(
    r"\b(?:their|his|her)\s+(?:moms?|dads?|mother|father|parents?|kids?|children|son|daughter|"
    r"baby|bio|birth|grandm\w+|aunt|uncle|family|foster|home)\b"
    r"|\b[A-Z][a-z]+'s\s+(?:mom|dad|mother|father|parents?|grandm\w+|foster|caseworker|case|"
    r"bio|birth)\b"
    r"|\b[Tt]he\s+(?:[A-Z][a-z]+\s+)?(?:twins|kids|children|siblings|boys|girls|family|baby|brothers|"
    r"sisters|teen|toddler|infant)\b"
    r"|\b(?:this|that|a|one)\s+(?:mom|dad|mother|father|family|kid|child|teen|girl|boy)\b"
    r"|\bthe\s+[A-Z][a-z]+(?:'s?)?\s+(?:custody|case|hearing|trial|removal|adoption|investigation)\b",
)
OWN_MATTER = re.compile(
    r"\b(?:I|we)\b[^.!?\n]{0,25}\b(?:custody|court|hearing|adopt\w*)\b"
    r"|\bmy\s+(?:ex|divorce|lawyer|attorney|son|daughter|kids|children|own)\b",
    IC,
)

CASE_TERM = re.compile(
    r"\b(?:custody|(?<!basketball )(?<!tennis )(?<!food )(?<!volleyball )court(?:room|house)?"
    r"(?![- ]?(?:yard|side|ship))|hearings?|judge|TPR|termination of parental rights|"
    r"reunif\w+|removed from|removal|dependency|visitation|supervised visits?|case plan|"
    r"allegations?|abuse|neglect(?:ed)?|CPS|hotline|restraining order|51A|placement|"
    r"group home|parental rights|adoption hearing|permanency|probation|parole)\b",
    IC,
)

MEDICAL_TERM = re.compile(
    r"\b(?:seizures?|diagnos\w+|ADHD|autis\w+|bipolar|schizo\w+|depress\w+|anxiety|PTSD|"
    r"suicid\w+|self[- ]harm\w*|cutting herself|cutting himself|overdos\w+|OD'?d|pregnan\w+|"
    r"HIV|STDs?|STIs?|cancer|diabet\w+|asthma|epilep\w+|meds|medications?|psych (?:ward|eval\w*|hold)|"
    r"5150|hospitali[sz]ed|rehab|detox|therapy|therapist|counseling|emergency room|ER visit|"
    r"ambulance|911|injur(?:y|ies|ed)|concussion|stitches|in the hospital|to the hospital|"
    r"ICU|psychiatric|mental health|medical|surgery|infection|lice|scabies)\b",
    IC,
)
CORI_STRONG = re.compile(
    r"\b(?:CORI|criminal (?:record|history|offender record)|rap sheet|juvenile record)\b", IC
)
CORI_TERM = re.compile(
    r"\b(?:arrest(?:ed)?|charged with|charges|convicted|conviction|felon(?:y|ies)|misdemeanors?|"
    r"priors|sentenced|committed for|locked up for|booked for|adjudicated|delinquen\w+|"
    r"on probation|on parole|assault|robbery|burglary|possession|shoplifting)\b",
    IC,
)
INVESTIGATION = re.compile(
    r"\b(?:investigat\w+|internal affairs|being looked into|allegations? against|51A|"
    r"abuse report|SIU|under review for)\b",
    IC,
)
PHOTO = re.compile(
    r"\b(?:photos?|pics?|pictures?|selfies?|videos?|snapshots?|snapped|filmed|photographed|"
    r"posted (?:a|this) shot|screenshot)\b",
    IC,
)

# --- identifying details ------------------------------------------------------

AGE = re.compile(
    r"\b\d{1,2}[- ](?:years?|yrs?)[- ]old\b|\b\d{1,2}\s?(?:y/?o|yrs?)\b|\bage(?:d)?\s+\d{1,2}\b"
    r"|(?<=[A-Za-z]), \d{1,2}(?=[,.! ])",
    IC,
)
SCHOOL_CS = re.compile(
    r"\b(?:[A-Z][\w.'-]+\s){1,3}(?:Elementary|Middle|High|Junior High|Academy|School|Prep|"
    r"Charter|Montessori)\b"
)
SCHOOL = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th) grade|kindergarten|new school|her school|his school)\b", IC
)
STREET_CS = re.compile(
    r"\b\d+\s+(?:[A-Z]\w+\s){1,2}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Lane|Ln|Dr|"
    r"Drive|Way|Ct|Court|Pl|Place|Terrace|Circle)\b\.?"
    r"|\b(?:on|off|near)\s+(?:[A-Z]\w+\s){1,2}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|"
    r"Lane|Drive|Way)\b"
)
PLACEMENT = re.compile(
    r"\b(?:placements?|placed (?:with|in|at)|group home|foster home|residential(?: program)?|"
    r"shelter|detention|juvie|" + _LOCATION_IN_FACILITY + r")\b",
    IC,
)
INITIALS_CS = re.compile(
    r"\b[A-Z]\.\s?(?:[A-Z]\.)?(?=\W|$)|\b[A-Z]{2}\b(?=[,.!?]|\s(?:is|was|has|had|got|and)\b)"
)
# Capitalised words that are not names even next to a client cue.
NOT_NAMES = frozenset(
    [
        "I",
        "I'm",
        "I've",
        "I'll",
        "The",
        "A",
        "An",
        "My",
        "Our",
        "We",
        "He",
        "She",
        "They",
        "It",
        "This",
        "That",
        "These",
        "Those",
        "His",
        "Her",
        "Their",
        "Today",
        "Tonight",
        "Yesterday",
        "Tomorrow",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "So",
        "Just",
        "Finally",
        "Visiting",
        "Proud",
        "Court",
        "Youth",
        "Foster",
        "Client",
        "Clients",
        "Had",
        "Got",
        "Is",
        "Was",
        "Went",
        "Great",
        "DCFS",
        "DCF",
        "DYS",
        "LCCS",
        "CPS",
        "DOB",
        "And",
        "But",
        "Or",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "At",
        "In",
        "On",
        "Of",
        "For",
        "With",
        "From",
        "Happy",
        "Thanks",
        "Thank",
        "Congrats",
        "Love",
        "Been",
        "Being",
        "Feeling",
        "Still",
        "Also",
        "Then",
        "Now",
        "Some",
        "One",
        "Two",
        "Three",
        "Mom",
        "Dad",
        "Grandma",
        "Grandpa",
        "God",
        "Jesus",
        "Lord",
        "Christmas",
        "Easter",
        "Thanksgiving",
        "Halloween",
        "Unit",
        "Room",
    ]
)
NAME_CS = re.compile(r"\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?\b")

PHONE = re.compile(r"(?<![\d-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d-])")
OWN_PHONE = re.compile(
    r"\b(?:call|text|reach|contact) (?:me|us)\b|\bmy (?:cell|number|phone|office)\b", IC
)
SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
DOB = re.compile(
    r"\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date|born on)\b\s*:?\s*"
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|[A-Z][a-z]+\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{4}-\d{2}-\d{2})?",
    IC,
)
OWN_BIRTH = re.compile(r"\b(?:I was|my \w+ (?:was|is)) born\b", IC)
CASE_NUMBER = re.compile(
    r"\b(?:case|docket|file|referral|incident|JJEMS|CANS|intake|petition)\s*(?:no\.?|number|num|#)"
    r"\s*:?\s*[A-Z0-9][A-Z0-9-]{2,}\b|\b(?:case|docket)\s+[A-Z]{0,4}\d[\dA-Z-]{3,}\b",
    IC,
)

# --- agency insignia, endorsement, facilities --------------------------------

INSIGNIA = re.compile(
    r"\b(?:seal(?! of approval)|logos?|letterhead|insignia|emblem|badge|crest|shoulder patch)\b", IC
)
INSIGNIA_CONTEXT = re.compile(
    r"\b"
    + AGENCY_NAME
    + r"\b|\b(?:agency|department|county|state|official|work|office|employer)\b",
    IC,
)
ON_BEHALF = re.compile(
    r"\b(?:on behalf of|speaking for|as (?:a |the )?spokes(?:person|woman|man) for|officially for|"
    r"representing)\s+(?:the\s+|my\s+|our\s+)?(?:"
    + AGENCY_NAME
    + r"|agency|department|employer|county|state|office|everyone at)\b",
    IC,
)
AGENCY_ENDORSES = re.compile(
    r"\b" + AGENCY_NAME + r"\s+(?:officially\s+)?(?:endorses|supports|recommends|approves|backs|"
    r"stands (?:behind|with)|is proud to (?:support|endorse|sponsor)|wants you to|urges|"
    r"is (?:behind|sponsoring)|sponsors)\b"
    r"|\b(?:we at|all of us at|everyone at|the official position of)\s+" + AGENCY_NAME + r"\b"
    r"|\b(?:official (?:statement|position|stance)|officially (?:endorse|support|recommend))\w*\b",
    IC,
)
PROMOTION = re.compile(
    r"\b(?:vote (?:for|yes|no)|re-?elect|elect\b|candidate|campaign|donate|fundrais\w+|buy|discount|"
    r"promo(?: code)?|use (?:my )?code|order (?:now|yours)|for sale|sign the petition|rally|ballot|"
    r"proposition|endorse\w*|sponsor\w*|support (?:my|our) (?:business|shop)|shop (?:now|at)|"
    r"% off|DM (?:me|to order))\b",
    IC,
)
AS_EMPLOYEE = re.compile(
    r"\bas (?:a|an|the) (?:" + AGENCY_NAME + r"|county|state)\s+(?:employee|worker|caseworker|"
    r"social worker|official|representative|staff(?:er| member)?|supervisor|manager)\b",
    IC,
)
FACILITY = re.compile(
    r"\b(?:" + AGENCY_NAME + r"|agency|state|county|transport|detention|juvenile|residential|"
    r"secure|work)(?:'s)?\s+(?:vans?|vehicles?|cars?|cruisers?|bus|buses|buildings?|facilit(?:y|ies)|"
    r"offices?|headquarters|HQ|campus|lobby|units?|cottages?|intake room|visiting room|"
    r"center|centre|parking lot)\b"
    r"|\b(?:detention|treatment|residential|juvenile|secure|assessment|youth services?)\s+"
    r"(?:center|centre|facility|unit|program|building)\b",
    IC,
)
FACILITY_GENERIC = re.compile(
    r"\b(?:vans?|vehicles?|buildings?|facilit(?:y|ies)|office|lobby|units?|cottages?|"
    r"break ?room|hallway|front desk|entrance)\b",
    IC,
)

# --- conduct ----------------------------------------------------------------

WORKPLACE_TARGET = re.compile(
    r"\b(?:management|admin(?:istration)?|leadership|supervisors?|boss(?:es)?|directors?|"
    r"commissioner|(?:my|our|the) manager|upper management|higher[- ]ups|"
    r"this (?:agency|department|job)|(?:my|our) (?:agency|department|job|office|employer|unit)|"
    + AGENCY_NAME
    + r")\b",
    IC,
)
NEGATIVE = re.compile(
    r"\b(?:clueless|incompetent|idiots?|idiotic|stupid|useless|a joke|sucks?|terrible|awful|"
    r"worst|corrupt|lazy|disaster|broken|a mess|toxic|hate|nightmare|pathetic|ridiculous|"
    r"garbage|trash|dumb|morons?|can'?t stand|fed up|sick of|tired of|screw (?:them|this|you)|"
    r"underpaid|overworked|short[- ]staffed|understaffed|cover(?:ing)?[- ]up|lying|liars?|"
    r"unfair|clowns?|disgrace\w*|shameful|don'?t care|doesn'?t care|bs|b\.s\.|hypocrit\w+|"
    r"incompetence|mismanage\w*|dysfunctional|a circus|fail(?:ing|ed|s)? (?:these|the|our) kids)\b",
    IC,
)
QUIT = re.compile(
    r"\b(?:can'?t wait to (?:quit|leave|get out)|(?:I'?m|I am) (?:quitting|so done with)|"
    r"hate (?:my|this) job|quit(?:ting)? this (?:job|place)|this job is killing me)\b",
    IC,
)
OPERATIONS = re.compile(
    r"\b(?:caseloads?|staffing|budget cuts?|new policy|policy change|mandatory overtime|"
    r"layoffs?|funding|hiring freeze|reorg\w*|turnover)\b",
    IC,
)
THREAT = re.compile(
    r"\b(?:I(?:'m| am)?\s*(?:going to|gonna|will|'ll)\s+(?:(?:kill|hurt|punch|slap|strangle|shoot|"
    r"stab|choke)\s+(?:him|her|them|you|that \w+|[A-Z]\w+)|make (?:him|her|them) pay)|"
    r"watch (?:your|his|her|their) back|(?:you|he|she|they)(?:'ll| will) (?:regret|pay for)|"
    r"deserves? to (?:die|get hurt|be fired)|better watch out|know where (?:you|she|he) lives?)\b",
    IC,
)
COWORKER = re.compile(
    r"\b(?:co-?workers?|colleagues?|supervisors?|boss|manager|staff members?|one of our staff|"
    r"teammates?|the new (?:guy|girl|hire)|(?:[A-Z][a-z]+\s+)?(?:in|from) (?:HR|intake|accounting|"
    r"payroll|IT|the office|my unit|our unit|admin))\b",
    IC,
)
INSULT = re.compile(
    r"\b(?:idiots?|stupid|morons?|lazy|useless|incompetent|fat|ugly|b[i1*]tch\w*|witch|"
    r"dumb|loser|worthless|psycho|creep|pig|clown|trash|snake|liar|can'?t stand (?:her|him|them))\b",
    IC,
)
SLUR = re.compile(
    r"\b(?:retard(?:ed|s)?|f[a@]gg?ots?|n[i1]gg(?:er|a)s?|spics?|tranny|trannies|dykes?|"
    r"wetbacks?|chinks?|kikes?|towelheads?|beaners?)\b",
    IC,
)
DISCRIMINATION = re.compile(
    r"\b(?:women|men|blacks?|whites?|mexicans?|immigrants?|gays?|muslims?|jews?|asians?|"
    r"latinos?|hispanics?|old people|disabled people|trans people|christians?)\s+"
    r"(?:shouldn'?t|should not|can'?t|cannot|are (?:all )?(?:lazy|stupid|criminals|animals|"
    r"the problem|useless|inferior))\b"
    r"|\bbecause (?:she|he|they)(?:'s| is| are| 're) (?:a woman|black|gay|muslim|jewish|old|"
    r"disabled|pregnant|trans|mexican|an immigrant)\b"
    r"|\b(?:don'?t|won'?t|never) (?:hire|work with|promote) (?:women|blacks|gays|muslims|"
    r"immigrants|old people)\b",
    IC,
)
OFFICER_CS = re.compile(
    r"\b(?:Officer|Ofc\.|Detective|Det\.|Sgt\.?|Sergeant|Lieutenant|Lt\.|Trooper|Deputy|Sheriff|"
    r"Agent|Special Agent|Corporal|Cpl\.|Inspector|Constable)\s+"
    r"(?!Director|Commissioner|Chief|Mayor|Superintendent|Secretary|Gadget)[A-Z][a-z]+"
)
OFFICER_AT = re.compile(
    r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,?\s+(?:from|at|with|of)\s+(?:the\s+)?(?:[A-Z][\w]+\s){0,2}"
    r"(?:PD|P\.D\.|[Pp]olice(?: [Dd]epartment)?|[Ss]heriff'?s?(?: [Oo]ffice| [Dd]epartment)?|"
    r"[Ss]tate [Pp]olice|FBI|DEA|ATF|ICE|[Mm]arshals?|[Pp]robation(?: [Dd]epartment)?)\b"
)
RELATIVE_OFFICER = re.compile(
    r"\bmy\s+(?:\w+\s+){0,2}(?:is|works as|works for)\s+(?:a|an|the)\s+(?:\w+\s+)?"
    r"(?:cop|police officer|detective|trooper|deputy|sheriff|FBI agent|DEA agent|ICE agent|"
    r"federal agent|probation officer|corrections officer)\b",
    IC,
)
CONTACT_VERB = re.compile(
    r"\b(?:friend(?:ed|ing)?|friend requests?|unfriend\w*|follow(?:ed|ing|s)?|add(?:ed)? (?:me|her|"
    r"him|them)|DM'?(?:d|ed|ing)?|direct message\w*|messag(?:ed|ing)|snapchat\w*|snapped|"
    r"text(?:ed|ing)|inbox(?:ed)?|connect(?:ed)? with|chat(?:ted|ting)? with)\b"
    r"|\badd(?:ed|ing)?\b[^.!?\n]{0,50}\bon (?:facebook|instagram|insta|snapchat|tiktok|twitter|fb|ig)\b"
    r"|\bfriends with\b[^.!?\n]{0,50}\bon (?:facebook|instagram|insta|snapchat|tiktok|fb|ig)\b",
    IC,
)
CLIENTISH = re.compile(
    r"\b(?:"
    + YOUTH
    + r"|residents?|detainees?|clients?|juveniles?|foster|caseload|kids? I work with|"
    r"(?:kid|youth|client|child|teen)'s (?:mom|dad|mother|father|parents?|family|sister|brother|aunt|"
    r"grandma)|parents? of (?:a|one of|my|our)\b)",
    IC,
)

PROFANITY = re.compile(
    r"\b(?:fuck\w*|f\*+c?k\w*|f[*#]ck\w*|f\*\*\*\w*|shit\w*|sh\*t\w*|bullshit|bitch\w*|assholes?|bastards?|"
    r"dickheads?|cunts?|motherf\w+|wtf|stfu|goddamn\w*|piss(?:ed)? off)\b",
    IC,
)
ALCOHOL_DRUGS = re.compile(
    r"\b(?:drunk|wasted|hammered|tipsy|beers?|wine|vodka|tequila|whiskey|shots|booze|hungover|"
    r"hangover|weed|marijuana|stoned|getting high|blunts?|edibles|cocaine|coke|molly|ecstasy|"
    r"pills|420|bong|happy hour|drinks|drinking|smoke (?:a|some) (?:joint|bowl))\b",
    IC,
)
WORK_SETTING = re.compile(
    r"\b(?:at work|on shift|on duty|during (?:my |the )?shift|at the office|in the unit|on the unit|"
    r"with the (?:kids|youth|residents|clients)|before (?:my )?shift|at the facility|on the clock|"
    r"in the (?:break ?room|office)|work party)\b",
    IC,
)
SEXUAL = re.compile(
    r"\b(?:nudes?|naked|sexy|porn\w*|xxx|horny|sex|sexual(?:ly)?|boobs|topless|onlyfans|lingerie|"
    r"thirst trap|hookup|hook up|nsfw)\b",
    IC,
)
ADVERTISING = re.compile(
    r"\b(?:for sale|selling|buy|discount|promo|deal|\$\d+|DM me|order|sign up|my (?:business|shop|"
    r"store)|Etsy|Avon|Mary Kay|Herbalife|Scentsy|LuLaRoe|Amway|MLM|chain letter|forward this|"
    r"share this to|click (?:here|this link)|https?://\S+|www\.\S+|giveaway|free trial)\b",
    IC,
)
INJECTION = re.compile(
    r"\b(?:ignore (?:all |any )?(?:previous|prior|above) instructions|mark (?:this|it) (?:as )?"
    r"(?:compliant|ok|approved)|you are now|system prompt|disregard (?:the|your) (?:rules|policy))\b",
    IC,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
