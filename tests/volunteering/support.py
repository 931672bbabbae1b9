"""What tests of several capabilities share."""

import pytest

from volunteering import errors


def refused(call, **kwargs) -> str:
    with pytest.raises(errors.ServiceError) as excinfo:
        call(**kwargs)
    return str(excinfo.value.message)
