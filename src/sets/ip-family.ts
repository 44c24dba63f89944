/**
 * Address-family constants. Kept in a module with no imports so that ip.ts and ip-set.ts,
 * which import each other, can both use them during module initialisation.
 */
export type IpFamily = 4 | 6;

const V4_BITS = 32;
const V6_BITS = 128;
export const V4_MAX = (1n << 32n) - 1n;
export const V6_MAX = (1n << 128n) - 1n;

export function familyBits(family: IpFamily): number {
  return family === 4 ? V4_BITS : V6_BITS;
}
