"""States and event codes, as Enums so that arrays of small ints stay readable."""

from enum import IntEnum


class Status(IntEnum):
    """Where a person stands. Every person is in exactly one status each month."""

    RECEIVING = 0
    """Receives bijstand."""
    WORK = 1
    """Left the benefit for paid work (reintegrated)."""
    NON_TAKE_UP = 2
    """Eligible but not receiving: gave up, or never applied."""
    SANCTIONED = 3
    """Benefit stopped by a fraud sanction, for `sanction_months`."""


# The statuses as plain ints, for the array comparisons of every stage: numpy
# compares an array with an IntEnum member a microsecond slower than with an
# int, and a month makes about 25 such comparisons.
RECEIVING, WORK, NON_TAKE_UP, SANCTIONED = (int(s) for s in (
    Status.RECEIVING, Status.WORK, Status.NON_TAKE_UP, Status.SANCTIONED))


class Event(IntEnum):
    """What can happen to a person; the event log (for client stories) stores these codes."""

    CHANGE_REPORTED = 1
    CHANGE_UNREPORTED = 2
    STARTED_FRAUD = 3
    LATE_DISCLOSURE = 4
    RECORD_ERROR = 5
    CORRECTED_OWN_RECORD = 6
    FLAGGED = 7
    NOTHING_FOUND = 8
    REPAYMENT = 9
    SANCTIONED_WRONGFULLY = 10
    SANCTIONED_FRAUD = 11
    INFORMED = 12
    NEW_CASEWORKER = 13
    SUPPORT_PROGRESS = 14
    FOUND_WORK = 15
    GAVE_UP = 16
    APPLIED = 17
    # 18 is free: the end of a sanction shows as APPLIED or GAVE_UP.
    BACK_FROM_WORK = 19
    ARRIVED = 20
    SUPPORT_PRIORITY = 21
    OBJECTION_UPHELD = 22


class Route(IntEnum):
    """How someone came to be selected for a fraud investigation (the `flags_<route>` columns)."""

    SIGNAL = 1
    """A caseworker noticed something in a meeting."""
    TIP = 2
    """Someone reported them (an anonymous tip)."""
    ALGORITHM = 3
    """The fraud-risk algorithm ranked them high."""
    WAREHOUSE = 4
    """The warehouse's linkage showed a mismatch (without an algorithm)."""
    AUDIT = 5
    """A random audit."""


class WrongfulCause(IntEnum):
    """Why a fraud sanction without intent happened (the `wrongful_<cause>` columns)."""

    UNREPORTED_CHANGE = 1
    """A real change in circumstances the person did not report, without intent."""
    DATA_ERROR = 2
    """An error in the municipality's record taken for an irregularity."""
    FALSE_FINDING = 3
    """The investigation 'found' an irregularity in a clean, correct file."""
