"""The small-world network over which experiences and trust spread by word of mouth."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def community_order(community: np.ndarray, homophily: float, rng: np.random.Generator) -> np.ndarray:
    """An order of the nodes in which a node sits among its own community with chance `homophily`.

    A ring lattice over this order ties most people to others of their own
    community (language group, circumstances), so word of mouth runs mostly
    within a community; at 0 the order is random and ties mix everyone.
    """
    n = community.size
    k = int(community.max()) + 1 if n else 1
    key = np.where(rng.random(n) < homophily, community, rng.integers(0, k, n))
    return np.lexsort((rng.random(n), key))


def small_world(n: int, degree: int, rewiring: float, rng: np.random.Generator,
                order: np.ndarray | None = None) -> sparse.csr_matrix:
    """Watts-Strogatz small-world graph as a symmetric 0/1 CSR adjacency matrix.

    networkx builds the same graph but in per-edge Python, which takes tens of
    seconds at 400,000 people; this builds the ring lattice and rewires the
    chosen edges with array operations, so setup stays a small part of a run.

    Args:
        n: Number of nodes.
        degree: Neighbours per node before rewiring (rounded down to even).
        rewiring: Probability that an edge's far end is moved to a random node.
        rng: The model's generator, so the network is part of the seed.
        order: The nodes in ring order (default 0..n-1): neighbours in this
            order are tied before rewiring (see `community_order`).
    """
    half = max(1, degree // 2)
    if n < 3:
        return sparse.csr_matrix((n, n), dtype=np.float32)
    half = min(half, (n - 1) // 2) or 1
    src = np.repeat(np.arange(n), half)
    dst = (src + np.tile(np.arange(1, half + 1), n)) % n
    rewire = rng.random(src.size) < rewiring
    dst = dst.copy()
    dst[rewire] = rng.integers(0, n, int(rewire.sum()))
    if order is not None:
        src, dst = order[src], order[dst]
    keep = src != dst
    src, dst = src[keep], dst[keep]
    data = np.ones(2 * src.size, dtype=np.float32)
    adj = sparse.coo_matrix(
        (data, (np.concatenate([src, dst]), np.concatenate([dst, src]))), shape=(n, n)
    ).tocsr()
    adj.data[:] = 1.0  # duplicate edges from rewiring collapse to one tie
    return adj
