"""The flows shipped in the flow solution: reviewers run them to see the connector work.

Operation ids and the data-center parameter come from the operation models; field names are
checked against the connector by the flow emitter, so a renamed operation, parameter or field
stops the build instead of shipping a flow that fails at run time.
"""

from __future__ import annotations

from .flow import (
    BodyRef,
    Compose,
    Condition,
    ConnectorAction,
    DocumentedStatus,
    Expr,
    FilterArray,
    Flow,
    InitializeVariable,
    ItemRef,
    ManualTrigger,
    SetVariable,
    StatusCodeRef,
    Terminate,
    TriggerInput,
    TriggerInputRef,
    Until,
    VariableRef,
    Wait,
    after,
    ref,
)
from .operations import (
    DATA_CENTER_HEADER,
    GET_RECIPIENT_STATUSES,
    GET_VERSION_INFO,
    SEND_SMS_JOB,
    DataCenter,
)

# Process states of a recipient that are not final yet (RecipientReport.processStatus).
OPEN_PROCESS_STATES = ("OPEN", "RUNNING")
POLL_INTERVAL_SECONDS = 30
POLL_COUNT_LIMIT = 60
POLL_TIMEOUT_MINUTES = 60  # delivery notifications rarely take longer; the loop gives up then
POLL_TIMEOUT = f"PT{POLL_TIMEOUT_MINUTES}M"

PHONE = TriggerInput("text", "Phone number", "The mobile number in international format, +49...")
MESSAGE = TriggerInput("text_1", "Message", "The text of the SMS.")

SEND = "Send_an_SMS_job"
STATUSES = "statuses"
FINISHED = "finished"
FROM_DE2 = "Get_statuses_from_de2"
FROM_DE1 = "Get_statuses_from_de1"
LOOP = "Wait_for_final_statuses"
UNFINISHED = "Recipients_without_final_status"


def _read_statuses(name: str, data_center: DataCenter) -> ConnectorAction:
    return ConnectorAction(
        name,
        GET_RECIPIENT_STATUSES.operation_id,
        (
            ("jobId", ref(BodyRef(SEND, ("jobId",)))),
            (DATA_CENTER_HEADER, data_center.value),
        ),
        run_after=after("Wait_before_reading") if data_center is DataCenter.DE2 else (),
    )


_NOT_FINAL = Expr(
    "@or(" + ", ".join(f"equals({{0}}, '{state}')" for state in OPEN_PROCESS_STATES) + ")",
    (ItemRef(GET_RECIPIENT_STATUSES.operation_id, ("processStatus",)),),
)

_POLL_ONCE = (
    Wait("Wait_before_reading", POLL_INTERVAL_SECONDS, "Second"),
    _read_statuses(FROM_DE2, DataCenter.DE2),
    SetVariable(
        "Keep_statuses_from_de2", STATUSES, ref(BodyRef(FROM_DE2)), run_after=after(FROM_DE2)
    ),
    # A job lives in one data center only; de2 answers 404 when de1 accepted it.
    Condition(
        "Job_is_in_de1",
        {
            "and": [
                {
                    "equals": [
                        ref(StatusCodeRef(FROM_DE2)),
                        DocumentedStatus(GET_RECIPIENT_STATUSES.operation_id, 404),
                    ]
                }
            ]
        },
        actions=(
            _read_statuses(FROM_DE1, DataCenter.DE1),
            SetVariable(
                "Keep_statuses_from_de1",
                STATUSES,
                ref(BodyRef(FROM_DE1)),
                run_after=after(FROM_DE1),
            ),
        ),
        else_actions=(
            Terminate(
                "Stop_when_the_status_cannot_be_read",
                "Failed",
                code="StatusReadFailed",
                message=Expr(
                    "@{{concat('Reading the statuses failed with HTTP ', string({0}))}}",
                    (StatusCodeRef(FROM_DE2),),
                ),
            ),
        ),
        run_after=after(FROM_DE2, "Failed"),
    ),
    FilterArray(
        UNFINISHED,
        ref(VariableRef(STATUSES)),
        _NOT_FINAL,
        run_after=(
            ("Keep_statuses_from_de2", ("Succeeded", "Skipped")),
            ("Job_is_in_de1", ("Succeeded", "Skipped")),
        ),
    ),
    SetVariable(
        "Note_whether_all_are_final",
        FINISHED,
        Expr(
            "@and(greater(length({0}), 0), equals(length({1}), 0))",
            (VariableRef(STATUSES), BodyRef(UNFINISHED)),
        ),
        run_after=after(UNFINISHED),
    ),
)

SEND_AND_WAIT = Flow(
    key="send-sms-and-wait-for-delivery",
    display_name="Send an SMS and wait for delivery",
    description=(
        "Sends one SMS with the Retarus SMS connector, then reads the delivery status of its "
        f"recipient every {POLL_INTERVAL_SECONDS} seconds (from de2, or from de1 when de2 does "
        f"not know the job) until it is final or {POLL_TIMEOUT_MINUTES} minutes have passed, "
        "and ends with the statuses read last."
    ),
    trigger=ManualTrigger((PHONE, MESSAGE)),
    actions=(
        ConnectorAction(
            SEND,
            SEND_SMS_JOB.operation_id,
            (
                (
                    "body/messages",
                    [
                        {
                            "text": ref(TriggerInputRef(MESSAGE.key)),
                            "recipients": [{"dst": ref(TriggerInputRef(PHONE.key))}],
                        }
                    ],
                ),
                # With a delivery notification a delivered SMS ends in SUC_FIN, not SUC_ACC.
                ("body/options/statusRequested", True),
            ),
        ),
        InitializeVariable("Initialize_statuses", STATUSES, "array", [], run_after=after(SEND)),
        InitializeVariable(
            "Initialize_finished",
            FINISHED,
            "boolean",
            False,
            run_after=after("Initialize_statuses"),
        ),
        Until(
            LOOP,
            Expr("@equals({0}, true)", (VariableRef(FINISHED),)),
            _POLL_ONCE,
            count=POLL_COUNT_LIMIT,
            timeout=POLL_TIMEOUT,
            run_after=after("Initialize_finished"),
        ),
        # Also after a loop that ran out of time: the statuses read last are the answer.
        Compose(
            "Delivery_statuses",
            ref(VariableRef(STATUSES)),
            run_after=after(LOOP, "Succeeded", "Failed", "TimedOut"),
        ),
    ),
)

READ_VERSION = Flow(
    key="read-api-version",
    display_name="Read the Retarus SMS API version",
    description=(
        "Reads the version of the Retarus SMS for Applications service from the primary data "
        "center: a quick check that the connection and its credentials work."
    ),
    trigger=ManualTrigger(()),
    actions=(
        ConnectorAction(
            "Get_API_version_information",
            GET_VERSION_INFO.operation_id,
            ((DATA_CENTER_HEADER, DataCenter.DE2.value),),
        ),
        Compose(
            "Service_version",
            ref(BodyRef("Get_API_version_information", ("versionInfo",))),
            run_after=after("Get_API_version_information"),
        ),
    ),
)

FLOWS = (SEND_AND_WAIT, READ_VERSION)
