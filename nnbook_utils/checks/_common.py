"""What the exercise checks of every chapter share: the :class:`Verdict` a check
returns, and the helpers that call the reader's function (``_call``) and read its answer
(``_as_number``, ``_close``). The chapter modules import them from here; readers use
:mod:`nnbook_utils.checks`, which re-exports :class:`Verdict`.
"""

import numpy as np


class Verdict:
    """The answer of a check: ``bool(verdict)`` says whether the reader's answer is right,
    ``verdict.message`` says why (or why not); a notebook shows it as one line."""

    def __init__(self, ok, message):
        self.ok, self.message = bool(ok), message

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("Correct: " if self.ok else "Not yet: ") + self.message


def _call(fn, *args):
    """Call the reader's function; return (result, None) or (None, explanation)."""
    name = getattr(fn, "__name__", "your function")
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, f"{name} still raises NotImplementedError: replace that line with your code."
    except Exception as err:  # the reader's code may fail in any way; explain, don't crash
        return None, f"{name} raised {type(err).__name__}: {err}"


def _as_number(value, what):
    """Return ``(number, None)`` if ``value`` is one finite number, else ``(None, why)``;
    ``what`` starts the explanation, e.g. "steps_to_tolerance returned"."""
    if value is None:
        return None, f"{what} None: did you forget `return`?"
    if isinstance(value, (str, bytes, bool, np.bool_, complex, np.complexfloating)) or (
            isinstance(value, np.ndarray) and value.dtype.kind in "USbcO" and value.ndim == 0):
        return None, (f"{what} {value!r}, which is not one number (a real number is "
                      "needed, not a string, a truth value or a complex number).")
    try:
        number = float(np.asarray(value, dtype=float).reshape(()))
    except OverflowError:
        return None, f"{what} a number too large for a float, not a finite number."
    except (TypeError, ValueError, OverflowError):
        return None, f"{what} {value!r}, which is not one number."
    if not np.isfinite(number):
        return None, f"{what} {number}, not a finite number."
    return number, None


def _close(a, b, tol=1e-6):
    try:
        if np.iscomplexobj(a):
            return False
        a = np.asarray(a, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return False
    return a.shape == np.shape(b) and bool(np.all(np.abs(a - b) <= tol * np.maximum(1, np.abs(b))))


def _as_array(value, label, shape, check_shape=True, finite=False, hint="", nan_hint=""):
    """Return ``(array, None)`` if ``value`` is an array of real numbers shaped ``shape``
    (any shape if not ``check_shape``; finite numbers only if ``finite``), else
    ``(None, why)``; never raises. ``label`` names the value in the explanation ("dW", "the
    answer of softmax_rows"); ``hint`` follows a wrong shape, ``nan_hint`` a NaN."""
    try:
        if value is None or np.iscomplexobj(value) or isinstance(
                value, (str, bytes, dict, bool, np.bool_)):
            raise TypeError
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None, (f"{label} should be an array of real numbers of shape {shape}, got "
                      f"{type(value).__name__} {value!r:.60}")
    if check_shape and array.shape != shape:
        return None, f"{label} has shape {array.shape}, expected {shape}{hint}"
    if finite and not np.all(np.isfinite(array)):
        return None, (f"{label} holds NaN or inf"
                      + (nan_hint or ": every entry should be a finite number"))
    return array, None


def _returned_array(value, name, shape, finite=False):
    """:func:`_as_array` for the whole answer of the reader's function ``name``, with the
    message for a missing ``return``."""
    if value is None:
        return None, f"{name} returned None: did you forget `return`?"
    return _as_array(value, f"{name}'s answer", shape, finite=finite)


_HOW_MANY = {2: "two", 3: "three", 4: "four", 5: "five"}


def _as_arrays(got, name, labels, shapes, check_shape=True, finite=False, hint="",
               nan_hint=""):
    """Return ``(arrays, None)`` if the reader's function ``name`` returned a tuple or list
    of ``len(labels)`` arrays, each as :func:`_as_array` wants it (entry ``i`` is called
    ``labels[i]``, shaped ``shapes[i]``), else ``(None, why)``; never raises."""
    if got is None:
        return None, f"{name} returned None: did you forget `return`?"
    n = len(labels)
    if not isinstance(got, (tuple, list)) or len(got) != n:
        size = f" of {len(got)}" if isinstance(got, (tuple, list)) else ""
        return None, (f"{name} should return {_HOW_MANY.get(n, n)} arrays "
                      f"({', '.join(labels)}); got a {type(got).__name__}{size}")
    arrays = []
    for label, value, shape in zip(labels, got, shapes):
        array, problem = _as_array(value, label, shape, check_shape, finite, hint, nan_hint)
        if problem:
            return None, problem
        arrays.append(array)
    return arrays, None
