# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""`clean_text` of an ad's plain text in one pass over its characters.

The same result as the Python reference (`vagval.jobs.normalise._clean_text_python`) for text
already in NFC: line breaks as "\\n" ("\\r\\n" and "\\r" too), control and invisible format
characters dropped, every run of white space inside a line one space, lines trimmed, at most
one blank line in a row, no white space at either end. In Python that is a regex, a split and a
join per line and another regex: ~90 us for a 4,000-character ad, most of it building one
string per line and per word. Here each character is looked at once and written at most once.
"""

from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND,
    PyUnicode_4BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_FromKindAndData,
    PyUnicode_GET_LENGTH,
    PyUnicode_KIND,
    PyUnicode_READ,
)
from libc.stdlib cimport free, malloc

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch)


cdef inline bint _dropped(Py_UCS4 c) noexcept nogil:
    """Control and invisible format characters, which only break display (not tab or \\n)."""
    if c < 0x20:
        return c != 0x09 and c != 0x0A and c != 0x0D
    if c < 0x7F:
        return False
    if c <= 0x9F:
        return True
    return (0x200C <= c <= 0x200F) or c == 0x2028 or c == 0x2029 or c == 0x2060 or c == 0xFEFF


def clean_text(str text):
    """See the module docstring; `text` must be NFC already (the caller normalises it)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, out = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef Py_ssize_t newlines = 0  # line breaks seen since the last character written
    cdef bint space = False  # white space seen since the last character written, on this line
    cdef bint started = False  # anything written yet (leading white space is dropped)
    cdef Py_UCS4 *buffer = <Py_UCS4 *>malloc((n + 1) * sizeof(Py_UCS4))
    if buffer == NULL:
        raise MemoryError()
    try:
        i = 0
        while i < n:
            c = PyUnicode_READ(kind, data, i)
            i += 1
            if c == 0x0D:  # "\r\n" and a lone "\r" are both one line break
                if i < n and PyUnicode_READ(kind, data, i) == 0x0A:
                    i += 1
                c = 0x0A
            if c == 0x0A:
                newlines += 1
                space = False  # trailing white space of a line goes
                continue
            if _dropped(c):
                continue
            if c == 0x200B or Py_UNICODE_ISSPACE(c):  # a zero-width space counts as a space
                space = True
                continue
            if started:
                if newlines:
                    buffer[out] = 0x0A
                    out += 1
                    if newlines > 1:  # blank lines: one at most
                        buffer[out] = 0x0A
                        out += 1
                elif space:
                    buffer[out] = 0x20
                    out += 1
            buffer[out] = c
            out += 1
            started = True
            newlines = 0
            space = False
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buffer, out)
    finally:
        free(buffer)
