"""The Retarus SMS connector: API metadata, connection, routing policy and readme texts."""

from __future__ import annotations

from retarus_connector import __version__

from .definitions import (
    DEFINITIONS,
    MAX_PARTS_RANGE,
    MAX_RECIPIENTS_PER_JOB,
    REFERENCE_MAX_LENGTH,
    VALIDITY_MINUTES_MAX,
    VALIDITY_MINUTES_MIN,
)
from .operations import (
    BASE_PATH,
    DATA_CENTER_HEADER,
    LIST_LIMIT_DEFAULT,
    LIST_LIMIT_MAX,
    LIST_WINDOW_DAYS,
    OPERATIONS,
    PRIMARY_DATA_CENTER,
    SEND_HOST,
    DataCenter,
)
from .package import (
    API_DEFINITION_FILE,
    API_PROPERTIES_FILE,
    ICON_FILE,
    AgentManifest,
    Api,
    ConnectionParameter,
    Connector,
    Contact,
    HostChoice,
    Metadata,
    ReadmeText,
    release_status,
)
from .summaries import (
    GET_JOB_STATUS_SUMMARY,
    GET_RECIPIENT_STATUSES_SUMMARY,
    LIST_JOBS_SUMMARY,
    SEND_SMS_JOB_SUMMARY,
)

PUBLISHER = "retarus GmbH"
WEBSITE = "https://www.retarus.com/"
PRIVACY_POLICY = "https://www.retarus.com/data-privacy-policy/"
CONTACT_EMAIL = "info@retarus.com"

# The deep navy of the Retarus wordmark, approximated: no Retarus brand guide was at hand, so
# this value is ours. It is neither of the two colors certification refuses (#ffffff, the
# portal default #007ee5), and white reads well on it, which the icon relies on.
ICON_BRAND_COLOR = "#003a70"

TITLE = "Retarus SMS"

DESCRIPTION = (
    "Send SMS text messages with Retarus SMS for Applications and follow their delivery: "
    "submit jobs with one or more messages and recipients, read the status of a job and the "
    "delivery result of every recipient, list recent jobs and check the service version. An "
    "active Retarus account enabled for SMS for Applications, with its Login ID and password, "
    "is required."
)


def data_center_url(data_center: DataCenter) -> str:
    """The base URL of the reads in one data center."""
    return f"https://sms4a.{data_center.value}.retarus.com{BASE_PATH}"


API = Api(
    title=TITLE,
    description=DESCRIPTION,
    version=__version__,
    status=release_status(__version__),
    contact=Contact("Retarus", WEBSITE, CONTACT_EMAIL),
    host=SEND_HOST,
    base_path=BASE_PATH,
    security_name="basic_auth",
    metadata=Metadata(WEBSITE, PRIVACY_POLICY, ("Communication", "Marketing")),
    agent_manifest=AgentManifest(
        human_name=TITLE,
        model_description=(
            "Sends SMS text messages through Retarus and reports whether they were delivered. "
            f"{SEND_SMS_JOB_SUMMARY} returns a job ID; {GET_RECIPIENT_STATUSES_SUMMARY} "
            "returns the delivery status of each recipient; when a status read answers 404, "
            "repeat it with the data center de1."
        ),
        contact_email=CONTACT_EMAIL,
        legal_url=PRIVACY_POLICY,
    ),
    operations=OPERATIONS,
    definitions=DEFINITIONS,
)

CONNECTION_PARAMETERS = (
    ConnectionParameter(
        name="username",
        type="securestring",
        display_name="Login ID",
        description="The Retarus Login ID that is enabled for SMS for Applications.",
        tooltip="Provide your Retarus Login ID",
        tab_index=2,
        clear_text=True,
        required=True,
    ),
    ConnectionParameter(
        name="password",
        type="securestring",
        display_name="Password",
        description="The password of the Retarus Login ID.",
        tooltip="Provide the password of your Retarus Login ID",
        tab_index=3,
        clear_text=False,
        required=True,
    ),
)

# The reads go to the data center the Data Center input names. Custom code picks the base URL
# from this table by the input's exact value, so the input's text never becomes part of a host
# name (ARCHITECTURE.md, "Choosing the data center"); the table comes from the same DataCenter
# enum as the input's enum.
DATA_CENTER_CHOICE = HostChoice(
    header=DATA_CENTER_HEADER,
    default=PRIMARY_DATA_CENTER.value,
    base_urls=tuple((center.value, data_center_url(center)) for center in DataCenter),
    base_path=BASE_PATH,
    operation_ids=tuple(op.operation_id for op in OPERATIONS if op.routed_by_data_center),
    refusal=(
        "Data Center must be "
        + " or ".join(center.value for center in DataCenter)
        + "; nothing was sent."
    ),
)

README = ReadmeText(
    prerequisites=(
        "- A Retarus account with the SMS for Applications service enabled. Retarus "
        f"({WEBSITE}) provides accounts and test accounts.\n"
        "- A Retarus Login ID and its password for that service.\n"
        "- A Power Platform environment in which you may create custom connectors."
    ),
    obtaining_credentials=(
        "The connector signs in with a Retarus Login ID and its password (HTTP basic "
        "authentication). Login IDs are managed in the Retarus Enterprise Administration "
        "Services (EAS) portal; ask your Retarus administrator or Retarus support for one that "
        "is enabled for SMS for Applications. An account may have several Login IDs, each "
        "with its own default settings (for example the sender ID), which apply to every "
        "option a job leaves out."
    ),
    getting_started=(
        "1. Create a connection and enter the Login ID and the password.\n"
        f"2. Add the action **{SEND_SMS_JOB_SUMMARY}**, enter a message text and a recipient number "
        "in international format (for example +4917600000000), and run it. The result holds "
        "the job ID.\n"
        f"3. Later, pass that job ID to **{GET_RECIPIENT_STATUSES_SUMMARY}** to see whether "
        "each message was delivered (status SUC_FIN or SUC_ACC), or to "
        f"**{GET_JOB_STATUS_SUMMARY}** to see whether the whole job has finished.\n"
        "4. If a read answers 404 (not found), run it again with the advanced parameter "
        "**Data Center** set to de1: the job lives in the other data center (see below)."
    ),
    recipes=(
        (
            "Falling back from de2 to de1",
            "A job exists only in the data center that accepted it, so a flow that checks a job "
            "asks de2 first and de1 after a 404:\n\n"
            f"1. Add **{GET_JOB_STATUS_SUMMARY}** with the job ID and leave Data Center at de2; "
            "rename it `Status from de2`.\n"
            "2. Add a **Condition** and, under its *Settings*, let it run after `Status from de2` "
            "*is successful* **and** *has failed*. Test "
            "`outputs('Status_from_de2')?['statusCode']` *is equal to* `404`.\n"
            f"3. In *If yes*, add **{GET_JOB_STATUS_SUMMARY}** with the same job ID and Data "
            "Center `de1`. In *If no*, use the result of `Status from de2`.\n\n"
            "Set a variable in each branch if later steps need the report in one place. Only a "
            '404 means "the other data center": a 400 or 401 fails the same way in both, so in '
            "*If no* stop the flow (Terminate, Failed) when the status code is not 200. Do the "
            f"same for **{GET_RECIPIENT_STATUSES_SUMMARY}**. To list all jobs, run "
            f"**{LIST_JOBS_SUMMARY}** once per data center. A Copilot Studio agent finds the "
            "same advice in the action descriptions, so it can retry a 404 with de1.",
        ),
    ),
    # Section 8 of the API reference lists where Retarus's sources disagree; each entry here
    # tells makers which reading the connector took (tests/emitters checks all fourteen).
    known_issues=(
        "- A job exists only in the Retarus data center (de1 or de2) that accepted it. "
        "Sending goes to the load-balanced host sms4a.eu.retarus.com, which does not say "
        "where the job went, so the reads take a Data Center parameter (default de2, the "
        "primary data center in Retarus's documentation) and a read that answers 404 has to "
        "be repeated with de1 (see Getting Started). The connector's custom code sends each "
        "read to the fixed address of the data center it names and answers any other value, "
        "such as a custom value or text from outside the flow, with 400 (Bad Request) before "
        "anything is sent, so no Data Center value can send a request, or the connection's "
        "credentials, to another host. Microsoft allows custom code 5 seconds per call; should "
        "a read take longer, it fails and can be run again.\n"
        f"- {LIST_JOBS_SUMMARY} asks for job IDs only, the one mode Retarus supports, covers "
        f"at most {LIST_WINDOW_DAYS} days per call and lists the jobs of one data center. Its "
        "outputs offer every field of a job report, since Retarus's example answer holds full "
        "reports, but expect only the job ID to be filled.\n"
        f"- A job may address at most {MAX_RECIPIENTS_PER_JOB:,} recipients, counted over all "
        f"its messages. The designer refuses more than {MAX_RECIPIENTS_PER_JOB:,} in one "
        "message; a job whose messages have more together is refused by Retarus (400).\n"
        "- Service Quality is sent and reported in upper case (EXPRESS, NORMAL), as Retarus's "
        "REST documentation writes it. Job reports give the encoding in lower case (standard, "
        "utf-16), although jobs are sent with STANDARD or UTF-16.\n"
        f"- Job and recipient references take up to {REFERENCE_MAX_LENGTH} characters, the "
        "limit in Retarus's definitions and Go client; its API reference recommends at most "
        "64, so keep to "
        "64 where you can.\n"
        f"- The schema allows Validity Minutes up to {VALIDITY_MINUTES_MAX} and Maximum Parts "
        f"from {MAX_PARTS_RANGE[0]} to {MAX_PARTS_RANGE[1]}. Retarus documents both that it "
        "would clamp values outside and that they must be in range; the connector follows the "
        "stricter reading and refuses values outside. Only Validity Minutes 1 to "
        f"{VALIDITY_MINUTES_MIN - 1} pass, since a schema that allows 0 (the provider's "
        f"default) cannot refuse them, and Retarus raises them to {VALIDITY_MINUTES_MIN}.\n"
        f"- Maximum Results of {LIST_JOBS_SUMMARY} takes 1 to {LIST_LIMIT_MAX} "
        f"({LIST_LIMIT_DEFAULT} when left out). The connector page Microsoft published "
        "allowed 0, which Retarus's Go client rules out.\n"
        f"- {SEND_SMS_JOB_SUMMARY} documents the answer 201 (Created) that Retarus describes. "
        "Some Retarus client libraries also accept 200; a flow treats either as success.\n"
        "- Retarus does not document the body of its error answers. The connector describes "
        "it as a message and a code, as Retarus's Go client reads it; when Retarus answers "
        "with plain text, the Error Message and Error Code outputs are empty.\n"
        f"- Finished Time of {GET_JOB_STATUS_SUMMARY} is the time the whole job finished, when "
        "its last SMS reached a final status. Retarus describes the field both that way and as "
        "the time one SMS finished.\n"
        "- Scheduled Start, From Time and To Time are ISO 8601 dates and times. Give the "
        "offset with a colon (+01:00) or as Z, as Retarus's examples do; whether Retarus "
        "accepts other forms, such as +0100, is not documented.\n"
        "- Retarus documents no response schema for the version information; the fields "
        "shown follow its SOAP interface, and the connector signs in for it like for every "
        "other action.\n"
        f"- The connector is titled {TITLE}, the name Microsoft's connector list uses; some of "
        "Microsoft's pages call it SMS for Applications.\n"
        "- There are no triggers: delivery results have to be polled.\n"
        "- Power Platform allows each connection 100 calls per 60 seconds."
    ),
    deployment_instructions=(
        "The package is generated from the models in this repository. Sign in once with the "
        "Power Platform connectors CLI (`pip install paconn`, then `paconn login`), then create "
        "the connector with\n\n"
        "```sh\n"
        "retarus-connector publish --environment <environment>\n"
        "```\n\n"
        "and update it later with `--connector-id <id>` added. The command uploads "
        f"{API_PROPERTIES_FILE} without its stackOwner entry, which paconn refuses. Without the "
        "toolkit, unpack the zip that `retarus-connector package` writes and run, in its "
        "folder:\n\n"
        "```sh\n"
        f"paconn create --api-def {API_DEFINITION_FILE} --api-prop apiProperties.deploy.json "
        f"--icon {ICON_FILE}\n"
        "```\n\n"
        "Then create a connection with a Retarus Login ID and its password."
    ),
)

CONNECTOR = Connector(
    api=API,
    publisher=PUBLISHER,
    stack_owner=PUBLISHER,
    icon_brand_color=ICON_BRAND_COLOR,
    capabilities=("actions",),
    connection_parameters=CONNECTION_PARAMETERS,
    policies=(),
    readme=README,
    host_choice=DATA_CENTER_CHOICE,
)
