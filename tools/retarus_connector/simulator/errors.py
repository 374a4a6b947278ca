"""The one error type of the simulator: an HTTP error the API answers with."""

from __future__ import annotations


class ApiError(Exception):
    """An error response: its status and the message of the `{"message", "code"}` body.

    Messages name the offending field or parameter and never contain credentials.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def body(self) -> dict[str, object]:
        return {"message": self.message, "code": self.status}


def bad_request(field: str, problem: str) -> ApiError:
    return ApiError(400, f"{field}: {problem}")
