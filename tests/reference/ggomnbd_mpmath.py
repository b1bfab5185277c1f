"""40-digit GGompertz/NBD values for tests/cpp/test_retention_ggom_nbd.cpp (run: python3 this file).

P(alive) and the expected transactions in (T, T + t] of a few customers at CLVTools' fitted
parameters (tests/reference/clvtools/params.csv), by mpmath quadrature of the definitions
(Bemmaor & Glady 2012; CLVTools src/ggomnbd.cpp): the likelihood's integral
I = int_{t_x}^T (alpha+y)^-(r+x) e^{by} (beta + e^{by} - 1)^-(s+1) dy, P(alive) = A / (A + b s beta^s I)
with A = (alpha+T)^-(r+x) (beta / (beta + e^{bT} - 1))^s, and
CET = P(alive) (r+x)/(alpha+T) int_T^{T+t} ((beta + e^{bT} - 1)/(beta + e^{bu} - 1))^s du,
which is checked against CLVTools' own closed form (Adler's erratum, two 2F1(1, s; s+1; z)) with
mpmath's exact hyp2f1. Both agree to 35 digits; CLVTools' fixture CETs differ from them by up to
2.4e-7 (apparel) and 1.6e-6 (CDNOW) relative: its 2F1 are GSL integrals at 1e-8 whose difference
is divided by b s ~ 1e-6.
"""
from mpmath import mp, mpf, quad, exp, expm1, hyp2f1

mp.dps = 40

FITS = {
    "apparel": ("1.4490095044455602", "48.628115769200186", "2.2666640399189104e-06",
                "0.56084791474767048", "0.00010617501893123145"),
    "cdnow": ("0.59705668515085397", "11.582495643838172", "2.4537221005494052e-05",
              "0.52289728624119347", "0.00021736181123677319"),
}
ROWS = [
    ("apparel", "6", "93.285714285714292", "104", "207.14285714285714"),
    ("apparel", "2", "3.5714285714285716", "104", "207.14285714285714"),
    ("cdnow", "10", "26", "27.285714285714285", "39"),
    ("cdnow", "0", "0", "38.857142857142854", "39"),
]


def values(fit, x, tx, T, h):
    r, alpha, b, s, beta = map(mpf, FITS[fit])
    x, tx, T, h = map(mpf, (x, tx, T, h))

    def d(y):
        return beta + expm1(b * y)

    I = quad(lambda y: (alpha + y) ** (-(r + x)) * exp(b * y) * d(y) ** (-(s + 1)), [tx, T])
    A = (alpha + T) ** (-(r + x)) * (beta / d(T)) ** s
    alive = A / (A + b * s * beta**s * I)
    cet = alive * (r + x) / (alpha + T) * quad(lambda u: (d(T) / d(u)) ** s, [T, T + h])
    e1, e2 = exp(b * T) + beta - 1, exp(b * (T + h)) + beta - 1
    upper = hyp2f1(1, s, s + 1, (beta - 1) / e1) - (e1 / e2) ** s * hyp2f1(1, s, s + 1, (beta - 1) / e2)
    closed = (r + x) / (alpha + T) * upper / (b * s * (1 + b * s * (alpha + T) ** (r + x) * e1**s * I))
    assert abs(closed - cet) < mpf("1e-30") * cet
    return alive, cet


for row in ROWS:
    alive, cet = values(*row)
    print(row, mp.nstr(alive, 20), mp.nstr(cet, 20))
