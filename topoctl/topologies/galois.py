"""Finite fields GF(q) for prime powers q, as small lookup tables (enough for slim fly sizes).

Elements are the integers 0 .. q-1, read as polynomials over GF(p) with base-p digits as coefficients
(q = p^n). Multiplication goes through exp/log tables of a primitive element found by search.
Reference: R. Lidl, H. Niederreiter, "Finite Fields", Cambridge 1997, Chapters 2-3.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import product
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported by the tables, when a graph is built
    import numpy as np

__all__ = ["prime_power", "is_prime_power", "GaloisField"]


def prime_power(q: int) -> tuple[int, int] | None:
    """(p, n) with q = p^n for a prime p, or None.

    >>> prime_power(27), prime_power(28)
    ((3, 3), None)
    """
    if q < 2:
        return None
    for p in range(2, int(q**0.5) + 1):
        if q % p == 0:
            n = 0
            while q % p == 0:
                q //= p
                n += 1
            return (p, n) if q == 1 else None
    return q, 1


def is_prime_power(q: int) -> bool:
    return prime_power(q) is not None


def _poly_mulmod(x: list[int], y: list[int], modulus: list[int], p: int) -> list[int]:
    """x*y mod (monic ``modulus``) over GF(p); coefficient lists, lowest degree first."""
    n = len(modulus) - 1
    out = [0] * (2 * n - 1)
    for i, xi in enumerate(x):
        if xi:
            for j, yj in enumerate(y):
                out[i + j] = (out[i + j] + xi * yj) % p
    return _poly_remainder(out, modulus, p)


def _is_irreducible(modulus: list[int], p: int) -> bool:
    """No root-free check is enough for degree > 3, so test every monic divisor up to degree n/2."""
    n = len(modulus) - 1
    for d in range(1, n // 2 + 1):
        for tail in product(range(p), repeat=d):
            divisor = list(tail) + [1]
            if _poly_remainder(modulus, divisor, p) == [0] * d:
                return False
    return True


def _poly_remainder(x: list[int], divisor: list[int], p: int) -> list[int]:
    x = list(x)
    d = len(divisor) - 1
    for deg in range(len(x) - 1, d - 1, -1):
        coef = x[deg]
        if coef:
            for i in range(d + 1):
                x[deg - d + i] = (x[deg - d + i] - coef * divisor[i]) % p
    return x[:d]


@dataclass(frozen=True)
class GaloisField:
    """GF(q); ``add`` and ``mul`` are q x q tables, ``primitive`` a generator of the multiplicative group.

    Example: GF(4) = GF(2)[x]/(1 + x + x^2) has elements 0, 1, x (2) and x + 1 (3); addition adds the
    base-2 digits without carry, and x * x = x + 1:
        >>> gf = GaloisField(4)
        >>> gf.modulus, int(gf.add[2, 3]), int(gf.mul[2, 2])
        ([1, 1, 1], 1, 3)
    """

    q: int

    def __post_init__(self) -> None:
        if prime_power(self.q) is None:
            raise ValueError(f"q={self.q} is not a prime power")

    @cached_property
    def characteristic(self) -> int:
        return prime_power(self.q)[0]  # type: ignore[index]

    @cached_property
    def degree(self) -> int:
        return prime_power(self.q)[1]  # type: ignore[index]

    def _digits(self, x: int) -> list[int]:
        p = self.characteristic
        return [(x // p**i) % p for i in range(self.degree)]

    def _number(self, digits: list[int]) -> int:
        p = self.characteristic
        return sum(d * p**i for i, d in enumerate(digits))

    @cached_property
    def modulus(self) -> list[int]:
        """The first monic irreducible polynomial of degree n in lexicographic order."""
        p, n = self.characteristic, self.degree
        if n == 1:
            return [0, 1]
        for tail in product(range(p), repeat=n):
            candidate = list(reversed(tail)) + [1]
            if candidate[0] and _is_irreducible(candidate, p):
                return candidate
        raise AssertionError("an irreducible polynomial exists for every degree")

    def _mul_slow(self, x: int, y: int) -> int:
        if self.degree == 1:
            return x * y % self.q
        return self._number(_poly_mulmod(self._digits(x), self._digits(y), self.modulus, self.characteristic))

    @cached_property
    def primitive(self) -> int:
        """The smallest element of multiplicative order q - 1."""
        for candidate in range(2 if self.q > 2 else 1, self.q):
            x, order = candidate, 1
            while x != 1:
                x = self._mul_slow(x, candidate)
                order += 1
            if order == self.q - 1:
                return candidate
        raise AssertionError("the multiplicative group of a finite field is cyclic")

    @cached_property
    def exp(self) -> list[int]:
        """exp[i] = primitive^i for i in 0 .. q-2."""
        out, x = [], 1
        for _ in range(self.q - 1):
            out.append(x)
            x = self._mul_slow(x, self.primitive)
        return out

    @cached_property
    def basis_traces(self) -> list[int]:
        """Tr(x^i) for the basis 1, x, ..., x^(n-1), in GF(p): Tr(z) = z + z^p + ... + z^(p^(n-1))
        (Lidl & Niederreiter, Definition 2.22), which is GF(p)-linear in z (Theorem 2.23)."""
        p = self.characteristic
        out = []
        for i in range(self.degree):
            z, total = p**i, 0
            for _ in range(self.degree):
                total = self._number([(a + b) % p for a, b in zip(self._digits(total), self._digits(z), strict=True)])
                z = self._power(z, p)
            assert total < p, "the trace lies in the prime field"
            out.append(total)
        return out

    def _power(self, x: int, e: int) -> int:
        out = 1
        for _ in range(e):
            out = self._mul_slow(out, x)
        return out

    def traces(self, elements: np.ndarray) -> np.ndarray:
        """Tr(z) for each element (an integer array), by linearity over its base-p digits."""
        p = self.characteristic
        total = elements * 0
        for i, t in enumerate(self.basis_traces):
            total = total + ((elements // p**i) % p) * t
        return total % p

    def negated(self, elements: np.ndarray) -> np.ndarray:
        """-z for each element: every base-p digit negated, without the addition table."""
        p = self.characteristic
        total = elements * 0
        for i in range(self.degree):
            total = total + ((-((elements // p**i) % p)) % p) * p**i
        return total

    @cached_property
    def add(self) -> np.ndarray:
        import numpy as np

        p, q = self.characteristic, self.q
        values = np.arange(q)
        total = np.zeros((q, q), dtype=np.int64)
        for i in range(self.degree):
            digit = (values // p**i) % p
            total += ((digit[:, None] + digit[None, :]) % p) * p**i
        return total

    @cached_property
    def mul(self) -> np.ndarray:
        import numpy as np

        q = self.q
        log = np.zeros(q, dtype=np.int64)
        log[self.exp] = np.arange(q - 1)
        table = np.zeros((q, q), dtype=np.int64)
        exp = np.array(self.exp, dtype=np.int64)
        table[1:, 1:] = exp[(log[1:, None] + log[None, 1:]) % (q - 1)]
        return table

    @cached_property
    def neg(self) -> np.ndarray:
        import numpy as np

        return np.argmin(self.add, axis=1)  # the unique y with x + y = 0
