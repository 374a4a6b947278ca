"""Operation summaries, named once.

Descriptions, the agent manifest and the readme point from one action to another by these
exact words, so a renamed action cannot leave a stale reference behind.
"""

SEND_SMS_JOB_SUMMARY = "Send an SMS job"
LIST_JOBS_SUMMARY = "List jobs in a time window"
GET_JOB_STATUS_SUMMARY = "Get job status"
GET_RECIPIENT_STATUSES_SUMMARY = "Get status for all recipients of a job"
GET_VERSION_INFO_SUMMARY = "Get API version information"
