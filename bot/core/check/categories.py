# ruff: noqa: E501  (patterns and queries read better unbroken)
"""The catalogue of problems a draft can have.

Each category says what a user reads (explanation, suggestion) and how to find
the clauses that govern it: ``queries`` are written in the policies' own
register and go through the retriever; ``cues`` are words a governing clause
uses, so a clause that shares them is preferred over one that merely sounds
alike. Nothing here quotes a policy: quotes always come from retrieved clauses.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import Severity

# Queries that find the general confidentiality clauses; categories about a
# specific kind of client information fall back on them when an agency's
# policy has no clause naming that kind.
_CONFIDENTIAL_QUERIES: tuple[str, ...] = (
    "disclose confidential or non-public information about clients youth and families",
    "no confidential client information shall be posted to a social media site",
    "releasing confidential information discussing daily activities children and families we serve",
    "discuss or comment on clients relatives or foster families on personal social media",
    "disclosing personal information of youth names photographs personally identifiable",
)
_CONFIDENTIAL_CUES: tuple[str, ...] = (
    "confidential",
    "non-public information",
    "comment on clients",
    "children and families we serve",
    "personally identifiable",
    "persons receiving services",
)


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    severity: Severity
    explanation: str
    suggestion: str
    queries: tuple[str, ...]
    cues: tuple[str, ...]
    # Used when none of the agency's clauses carries a cue: the finding is then
    # grounded on the closest general rule and downgraded to a review.
    fallback_queries: tuple[str, ...] = ()
    fallback_cues: tuple[str, ...] = ()


V = Severity.VIOLATION
R = Severity.REVIEW

CATEGORIES: dict[str, Category] = {
    c.id: c
    for c in (
        Category(
            "client_info",
            "Client, youth or family information",
            V,
            "Refers to a child, youth or family you serve in a way that can identify them.",
            "Remove anything about the people you serve (names, initials, ages, schools, places).",
            _CONFIDENTIAL_QUERIES,
            _CONFIDENTIAL_CUES,
        ),
        Category(
            "case_details",
            "Case or court details",
            V,
            "Shares case or court details (custody, hearings, placement) about a family.",
            "Remove the case and court details; don't post about families' cases at all.",
            (
                "case-specific or other confidential information",
                *_CONFIDENTIAL_QUERIES,
            ),
            ("case-specific", "individual youth case information", *_CONFIDENTIAL_CUES),
        ),
        Category(
            "medical",
            "Medical information",
            V,
            "Discloses someone's medical condition, diagnosis or treatment.",
            "Remove the medical details.",
            (
                "disclosing medical information medical conditions or diagnosis HIPAA",
                "information protected under HIPAA or any other privacy legislation",
            ),
            ("medical", "hipaa"),
            _CONFIDENTIAL_QUERIES,
            _CONFIDENTIAL_CUES,
        ),
        Category(
            "criminal_record",
            "Criminal record (CORI)",
            V,
            "Discloses someone's criminal record, charges or offenses.",
            "Remove the criminal history.",
            ("disclosing any Criminal Offender Record Information CORI",),
            ("criminal offender record", "cori"),
            _CONFIDENTIAL_QUERIES,
            _CONFIDENTIAL_CUES,
        ),
        Category(
            "investigation",
            "Investigation",
            V,
            "Shares information about an investigation.",
            "Remove everything about the investigation.",
            (
                "posting any information about investigations photos videos or comments",
                "cooperating in any investigation",
            ),
            ("information about investigations",),
            _CONFIDENTIAL_QUERIES,
            _CONFIDENTIAL_CUES,
        ),
        Category(
            "personal_identifiers",
            "Personal identifiers",
            V,
            "Contains a personal identifier (phone number, date of birth, case number, address).",
            "Remove the number or identifier.",
            (
                "use of personally identifiable information",
                "protect sensitive or personal information",
                "shall not post personal or private information about other employees",
                *_CONFIDENTIAL_QUERIES,
            ),
            ("personally identifiable", "personal information", *_CONFIDENTIAL_CUES),
        ),
        Category(
            "youth_photo",
            "Photo of a youth or client",
            V,
            "Shares a photo or video of a child or youth you serve.",
            "Don't post the photo; photos of youth need a written release and approval.",
            (
                "disclosing names photographs or personally identifiable information of youth",
                "photos art work or other materials authorization written release",
                *_CONFIDENTIAL_QUERIES,
            ),
            ("photographs", "photos", *_CONFIDENTIAL_CUES),
        ),
        Category(
            "agency_insignia",
            "Agency seal, logo or letterhead",
            V,
            "Uses the agency's seal, logo, letterhead or insignia on a personal post.",
            "Remove the seal / logo / letterhead; personal posts can't carry agency insignia.",
            (
                "reproductions of the seal letterhead or other insignia",
                "must not use the Department's name symbols and logos to promote",
            ),
            ("seal", "insignia", "logos", "letterhead"),
        ),
        Category(
            "speaking_for_agency",
            "Speaking for the agency",
            V,
            "Speaks for the agency or implies it endorses the post, without authorization.",
            "Speak only for yourself: drop the claim to speak for the agency and say these are your own views.",
            (
                "employees are not authorized to represent the Department or act as a spokesperson",
                "must not post content that implies it is endorsed by the Department",
                "make it clear that he or she is not speaking on behalf of the Department",
            ),
            ("spokesperson", "represent the department", "endorsed by", "not speaking on behalf"),
        ),
        Category(
            "agency_name_use",
            "Agency name used to promote",
            V,
            "Uses the agency's name for a product, service, cause, campaign or candidate.",
            "Keep the agency's name out of promotions, causes and political posts.",
            (
                "must not use the Department's name symbols and logos to promote a product service "
                "cause political party or candidate",
                "avoid advertisements sponsorships and endorsements; avoid use for political purposes",
                "political lobbying religious promotion not approved by department management",
            ),
            ("name, symbols", "political", "endorsements", "promote"),
        ),
        Category(
            "disclaimer_missing",
            "Disclaimer missing",
            R,
            "Talks about your agency but has no disclaimer that the views are your own.",
            "Add a disclaimer that these are your own views, not your employer's.",
            (
                "disclaimer stating the postings on this website are my own",
                "post a statement that the views expressed belong solely to you and not your employer",
                "make it clear that he or she is not speaking on behalf of",
            ),
            ("disclaimer", "views expressed", "not speaking on behalf"),
        ),
        Category(
            "agency_facility",
            "Agency building, facility or vehicle",
            V,
            "Shows or describes an agency building, facility or vehicle.",
            "Remove the photo or description of the building, facility or vehicle.",
            (
                "buildings facilities or vehicles interior or exterior views not in the public domain",
            ),
            ("buildings", "facilities", "vehicles"),
            (
                "must not disclose non-public information about the Department",
                "posting photographs or other material which would cause harm to the Agency",
            ),
            ("non-public information", "photographs"),
        ),
        Category(
            "workplace_grievance",
            "Workplace grievance / disparaging the agency",
            V,
            "Airs a workplace grievance or disparages the agency or its operations.",
            "Take workplace issues to your supervisor or HR, not social media.",
            (
                "social media should not be used to handle workplace issues or disagreements",
                "commenting on operations of the Agency",
                "online conduct that negatively impacts the County and the Department",
                "does not negatively impact the reputation of the Agency",
            ),
            ("workplace issues", "operations of the agency", "negatively impact", "discredit"),
        ),
        Category(
            "harassment",
            "Harassment, threats or hostility",
            V,
            "Is threatening, harassing, hostile or discriminatory toward someone.",
            "Remove the threat or insult; raise conflicts with a supervisor or HR.",
            (
                "content must not be threatening abusive defamatory obscene harassing or hostile",
                "harassing intimidating or retaliating against any employee hostile work environment",
                "personal attacks offensive comments that target or disparage any group",
                "Sexual Harassment Bias Free Communication Workplace Violence",
            ),
            ("threatening", "harassing", "hostile", "personal attacks", "harassment", "libelous"),
        ),
        Category(
            "law_enforcement",
            "Identifies law-enforcement officers",
            V,
            "Identifies someone as an employee of a law-enforcement agency.",
            "Remove the officer's name and agency.",
            (
                "identifying employees of other law enforcement agencies as law enforcement employees",
            ),
            ("law enforcement",),
            _CONFIDENTIAL_QUERIES,
            _CONFIDENTIAL_CUES,
        ),
        Category(
            "client_contact",
            "Contacting or friending clients",
            V,
            "Connects with or contacts a client, youth or their family on personal social media.",
            "Don't friend, follow or message clients or their families from a personal account.",
            (
                "friending clients detained youth parent or guardian of a client",
                "accepting a friend request from clients detained youth or family",
                "shall not friend or otherwise contact clients through personal social media accounts",
                "shall not use these accounts to chat friend or otherwise communicate with any youth",
            ),
            ("friend",),
            (
                "discuss or comment on clients relatives or foster families",
                *_CONFIDENTIAL_QUERIES,
            ),
            _CONFIDENTIAL_CUES,
        ),
        Category(
            "profanity",
            "Profanity / obscene language",
            R,
            "Contains profanity or obscene language.",
            "Remove the profanity.",
            (
                "prohibited activities profanity",
                "content must not be threatening abusive defamatory obscene",
                "delete content that contains vulgar language",
            ),
            ("profanity", "obscene", "vulgar"),
        ),
        Category(
            "alcohol_drugs",
            "Alcohol or drug content",
            R,
            "Mentions alcohol or drug use in a work setting.",
            "Remove the alcohol or drug references.",
            ("comments or images regarding alcohol or drug use",),
            ("alcohol",),
            ("use good judgment and carefully consider the appropriateness of each posting",),
            ("good judgment", "appropriateness"),
        ),
        Category(
            "sexual_content",
            "Sexual content",
            R,
            "Contains sexual or sexually suggestive content.",
            "Remove the sexual content.",
            (
                "sexually graphic and explicit material nude or sexually suggestive images",
                "content must not be obscene",
            ),
            ("sexually", "obscene"),
        ),
        Category(
            "advertising_spam",
            "Advertising or spam",
            V,
            "Advertises or spams on the agency's intranet or pages.",
            "Don't post ads, chain letters or sales on Pulse or agency pages.",
            (
                "may not post content that would constitute advertising junk mail chain letters or spam",
                "avoid advertisements sponsorships and endorsements",
                "spam or the inclusion of links to other sites",
            ),
            ("advertising", "advertisements", "spam"),
        ),
    )
}
