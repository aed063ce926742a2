/*
 * axelrod.c: a tight C implementation of Axelrod's (1997) culture model,
 * the yardstick for smbsim's events per second (docs/performance.md).
 *
 * Same rules as `smbsim bench`'s Axelrod workloads: a side x side bounded
 * lattice with von Neumann neighbours, F features of q traits each, drawn
 * uniformly at random. One event: pick a random site, pick a random
 * neighbour of it; with probability overlap/F (overlap = features they
 * share), if they share some but not all features, the site copies one
 * of the features on which they differ, chosen uniformly.
 *
 * Cultures are packed into one 64-bit word, B = bits(q-1) bits per feature,
 * as in smbsim; random numbers come from PCG 128/64 with the DXSM output (the
 * generator of Go's math/rand/v2) and Lemire's unbiased bounded integers.
 *
 * Build and run:  gcc -O2 -march=native -o axelrod axelrod.c && ./axelrod 100 2000000
 * Prints: side, events, seconds, events per second, the process's CPU
 * seconds over the events, regions (connected areas of identical culture)
 * at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { F = 5, Q = 10 };

typedef unsigned __int128 u128;
static u128 pcg_state, pcg_inc;

/* PCG 128/64 with the DXSM output function, as Go's math/rand/v2 PCG */
static uint64_t next64(void) {
	const u128 mul = ((u128)2549297995355413924ULL << 64) | 4865540595714422341ULL;
	pcg_state = pcg_state * mul + pcg_inc;
	uint64_t hi = (uint64_t)(pcg_state >> 64), lo = (uint64_t)pcg_state;
	hi ^= hi >> 32;
	hi *= 0xda942042e4dd58b5ULL;
	hi ^= hi >> 48;
	return hi * (lo | 1);
}

/* uniform in [0, n), Lemire's method (as Go's Rand.IntN) */
static uint32_t bounded(uint64_t n) {
	u128 m = (u128)next64() * n;
	uint64_t l = (uint64_t)m;
	if (l < n) {
		uint64_t t = -n % n;
		while (l < t) {
			m = (u128)next64() * n;
			l = (uint64_t)m;
		}
	}
	return (uint32_t)(m >> 64);
}

static int bits_for(int q) {
	int b = 0;
	while ((1 << b) < q) b++;
	return b;
}

int main(int argc, char **argv) {
	int side = argc > 1 ? atoi(argv[1]) : 10;
	long events = argc > 2 ? atol(argv[2]) : 2000000;
	int n = side * side, B = bits_for(Q);
	uint64_t fmask = (1ULL << B) - 1, low = 0;
	for (int f = 0; f < F; f++) low |= 1ULL << (f * B);

	pcg_state = 1; pcg_inc = 0x696e6974ULL << 1 | 1;
	uint64_t *c = malloc(sizeof *c * n);
	int32_t *nb = malloc(sizeof *nb * 4 * n);
	uint8_t *deg = malloc(n);
	for (int i = 0; i < n; i++) {
		int x = i % side, y = i / side, d = 0;
		if (y > 0) nb[4 * i + d++] = i - side;
		if (x > 0) nb[4 * i + d++] = i - 1;
		if (x < side - 1) nb[4 * i + d++] = i + 1;
		if (y < side - 1) nb[4 * i + d++] = i + side;
		deg[i] = (uint8_t)d;
		uint64_t s = 0;
		for (int f = 0; f < F; f++) s |= (uint64_t)bounded(Q) << (f * B);
		c[i] = s;
	}

	struct timespec t0, t1, c0, c1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
	for (long e = 0; e < events; e++) {
		int i = (int)bounded(n);
		int j = nb[4 * i + bounded(deg[i])];
		uint64_t x = c[i] ^ c[j], y = x;
		for (int b = 1; b < B; b++) y |= x >> b;
		uint64_t diff = y & low; /* bit f*B set where the features differ */
		int nd = __builtin_popcountll(diff);
		if (nd == 0 || nd == F) continue;
		if ((int)bounded(F) >= F - nd) continue; /* P(interact) = overlap/F */
		for (uint32_t k = bounded(nd); k > 0; k--) diff &= diff - 1;
		int f = __builtin_ctzll(diff) / B;
		uint64_t m = fmask << (f * B);
		c[i] = (c[i] & ~m) | (c[j] & m);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double sec = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;

	/* regions: connected areas of identical culture (union-find) */
	int32_t *p = malloc(sizeof *p * n);
	for (int i = 0; i < n; i++) p[i] = i;
	int regions = n;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < deg[i]; k++) {
			int j = nb[4 * i + k];
			if (c[i] != c[j]) continue;
			int a = i, b = j;
			while (p[a] != a) a = p[a] = p[p[a]];
			while (p[b] != b) b = p[b] = p[p[b]];
			if (a != b) { p[a] = b; regions--; }
		}
	printf("side %d events %ld seconds %.4f events_per_sec %.4g cpu_seconds %.4f regions %d\n", side, events, sec, events / sec, cpu, regions);
	return 0;
}
