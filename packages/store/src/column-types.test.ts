import { describe, expect, it } from 'vitest';
import {
  fromVectorBinary,
  fromVectorLiteral,
  toVectorBinary,
  toVectorLiteral,
} from './column-types.js';

describe('vector encodings', () => {
  const values = Float32Array.from([0.1, -2, 3e-5, 1 / 3, 0, 65504.5]);

  it('round-trips float32 values exactly through the binary format', () => {
    const bytes = toVectorBinary(values);

    expect(bytes.length).toBe(4 + 4 * values.length);
    expect(bytes.readInt16BE(0)).toBe(values.length);
    expect(fromVectorBinary(bytes)).toEqual(values);
  });

  it('round-trips float32 values exactly through the text format', () => {
    const literal = toVectorLiteral(values);

    expect(literal.startsWith('[') && literal.endsWith(']')).toBe(true);
    expect(fromVectorLiteral(literal)).toEqual(values);
  });

  it('reads pgvector text output', () => {
    expect(Array.from(fromVectorLiteral('[1,2.5,-3e-05]'))).toEqual([1, 2.5, Math.fround(-3e-5)]);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %s, which pgvector cannot store', (bad) => {
    expect(() => toVectorBinary([1, bad])).toThrow(/component 1/);
    expect(() => toVectorLiteral([bad])).toThrow(/component 0/);
  });
});
