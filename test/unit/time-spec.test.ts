import {describe, expect, it} from 'vitest'

import {formatInstant, parseDateTime, parseDurationSpec, parseInstant, parseTimeSpec, zoneOffsetMs} from '../../src/domain/time-spec.js'

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0)

describe('parseDateTime', () => {
  it('reads Kafka --to-datetime forms', () => {
    expect(parseDateTime('2026-01-01T00:00:00', 'UTC')).toBe(Date.UTC(2026, 0, 1))
    expect(parseDateTime('2026-01-01T00:00:00.123', 'UTC')).toBe(Date.UTC(2026, 0, 1, 0, 0, 0, 123))
    expect(parseDateTime('2026-01-01T00:00:00.000Z')).toBe(Date.UTC(2026, 0, 1))
    expect(parseDateTime('2026-01-01T02:00:00+02:00')).toBe(Date.UTC(2026, 0, 1))
    expect(parseDateTime('2026-01-01T00:00:00-0130')).toBe(Date.UTC(2026, 0, 1, 1, 30))
    expect(parseDateTime('2026-01-01', 'UTC')).toBe(Date.UTC(2026, 0, 1))
    expect(parseDateTime('2026-01-01 10:30', 'UTC')).toBe(Date.UTC(2026, 0, 1, 10, 30))
  })

  it('reads naive times as UTC whatever TZ says, as Kafka\'s tools do', () => {
    const saved = process.env.TZ
    try {
      process.env.TZ = 'Asia/Kolkata'
      expect(new Date(0).getTimezoneOffset()).toBe(-330)
      expect(parseDateTime('2026-01-01T05:30:00')).toBe(Date.UTC(2026, 0, 1, 5, 30))
      expect(parseInstant('2026-01-01T05:30:00')).toBe(Date.UTC(2026, 0, 1, 5, 30))
      expect(parseInstant('2026-01-01')).toBe(Date.UTC(2026, 0, 1))
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })

  it('reads naive times in --timezone, across daylight saving time', () => {
    expect(parseDateTime('2026-01-01T01:00:00', 'Europe/Paris')).toBe(Date.UTC(2026, 0, 1, 0))
    expect(parseDateTime('2026-07-01T02:00:00', 'Europe/Paris')).toBe(Date.UTC(2026, 6, 1, 0))
    expect(parseDateTime('2026-07-01T00:00:00', '+05:30')).toBe(Date.UTC(2026, 5, 30, 18, 30))
    expect(parseDateTime('2026-07-01T00:00:00Z', 'Europe/Paris')).toBe(Date.UTC(2026, 6, 1))
  })

  it('rejects what is not a date-time', () => {
    expect(() => parseDateTime('yesterday')).toThrow(/ISO-8601/)
    expect(() => parseDateTime('2026-02-30T00:00:00')).toThrow(/not a valid/)
    expect(() => parseDateTime('2026-01-01T25:00:00')).toThrow(/not a valid/)
    expect(() => parseDateTime('2026-01-01T00:00:00', 'Mars/Olympus')).toThrow(/unknown time zone/)
  })
})

describe('zoneOffsetMs', () => {
  it('knows fixed offsets and IANA zones', () => {
    expect(zoneOffsetMs('+02:00', NOW)).toBe(7_200_000)
    expect(zoneOffsetMs('UTC', NOW)).toBe(0)
    expect(zoneOffsetMs('America/New_York', NOW)).toBe(-4 * 3_600_000)
    expect(zoneOffsetMs('America/New_York', Date.UTC(2026, 0, 15))).toBe(-5 * 3_600_000)
  })
})

describe('parseDurationSpec', () => {
  it('reads java.time.Duration ISO forms and short forms', () => {
    expect(parseDurationSpec('PT2H')).toBe(7_200_000)
    expect(parseDurationSpec('P1DT12H')).toBe(36 * 3_600_000)
    expect(parseDurationSpec('PT1H30M15.5S')).toBe(5_415_500)
    expect(parseDurationSpec('P2D')).toBe(2 * 86_400_000)
    expect(parseDurationSpec('-PT1M')).toBe(-60_000)
    expect(parseDurationSpec('1h30m')).toBe(5_400_000)
    expect(parseDurationSpec('2d')).toBe(2 * 86_400_000)
  })

  it('rejects the rest', () => {
    expect(parseDurationSpec('P')).toBeUndefined()
    expect(parseDurationSpec('PT')).toBeUndefined()
    expect(parseDurationSpec('90')).toBeUndefined()
    expect(parseDurationSpec('1 hour')).toBeUndefined()
  })
})

describe('parseInstant: one time language', () => {
  it('reads now, epoch ms, dates with and without a zone, and times relative to now', () => {
    expect(parseInstant('now', {now: NOW})).toBe(NOW)
    expect(parseInstant('1767225600000')).toBe(1767225600000)
    expect(parseInstant('2026-06-15T12:00:00Z')).toBe(NOW)
    expect(parseInstant('2026-06-15T14:00:00', {zone: 'Europe/Paris'})).toBe(NOW)
    expect(parseInstant('2026-06-15T14:00:00+02:00', {zone: 'America/New_York'})).toBe(NOW)
    expect(parseInstant('-1h', {now: NOW})).toBe(NOW - 3_600_000)
    expect(parseInstant('+5m', {now: NOW})).toBe(NOW + 300_000)
    expect(parseInstant('-PT1H', {now: NOW})).toBe(NOW - 3_600_000)
    expect(parseInstant('+PT1H', {now: NOW})).toBe(NOW + 3_600_000)
    expect(parseInstant('PT1H', {now: NOW})).toBe(NOW - 3_600_000)
    expect(parseInstant('1h30m', {now: NOW})).toBe(NOW - 5_400_000)
    expect(parseInstant('2h ago', {now: NOW})).toBe(NOW - 7_200_000)
  })

  it('refuses what is not a time, naming the forms, an unknown zone, and times before 1970', () => {
    expect(() => parseInstant('soon')).toThrow(/"soon" is not a time: use an ISO-8601 date-time/)
    expect(() => parseInstant('-1')).toThrow(/"-1" is not a relative time/)
    expect(() => parseInstant('+1x')).toThrow(/"\+1x" is not a relative time/)
    expect(() => parseInstant('2026-13-01')).toThrow(/not a valid date-time/)
    expect(() => parseInstant('2026-01-01T00:00:00Z', {zone: 'Mars/Olympus'})).toThrow(/unknown time zone "Mars\/Olympus"/)
    expect(() => parseInstant('-100000d', {now: NOW})).toThrow(/before 1970/)
  })
})

describe('parseTimeSpec', () => {
  it('reads earliest, latest, epoch ms, ISO and relative times', () => {
    expect(parseTimeSpec('earliest')).toBe('earliest')
    expect(parseTimeSpec('LATEST')).toBe('latest')
    expect(parseTimeSpec('-1')).toBe('latest')
    expect(parseTimeSpec('-2')).toBe('earliest')
    expect(parseTimeSpec('1767225600000')).toEqual({timestamp: 1767225600000})
    expect(parseTimeSpec('2026-01-01T00:00:00Z')).toEqual({timestamp: Date.UTC(2026, 0, 1)})
    expect(parseTimeSpec('-1h', {now: NOW})).toEqual({timestamp: NOW - 3_600_000})
    expect(parseTimeSpec('-1d12h', {now: NOW})).toEqual({timestamp: NOW - 36 * 3_600_000})
    expect(parseTimeSpec('-PT30M', {now: NOW})).toEqual({timestamp: NOW - 1_800_000})
    expect(parseTimeSpec('2h ago', {now: NOW})).toEqual({timestamp: NOW - 7_200_000})
    expect(parseTimeSpec('2026-06-15T14:00:00', {zone: 'Europe/Paris'})).toEqual({timestamp: NOW})
  })

  it('rejects unknown words and times before 1970', () => {
    expect(() => parseTimeSpec('soon')).toThrow(/not a time/)
    expect(() => parseTimeSpec('-1x')).toThrow(/relative time/)
    expect(() => parseTimeSpec('-100000d', {now: NOW})).toThrow(/before 1970/)
  })

  it('formats instants as ISO-8601 UTC', () => {
    expect(formatInstant(NOW)).toBe('2026-06-15T12:00:00.000Z')
  })
})
