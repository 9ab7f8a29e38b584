import { describe, expect, it } from '@jest/globals';
import { newId } from '@strata/shared-kernel';
import {
  Certificate,
  certificateCodeOf,
  isWellFormedCertificateCode,
  type CertificateId,
} from '@strata/learning';
import { clockAt, eventsOf, LATER } from './enrollment.mother.ts';

const completed = {
  enrollmentId: newId<'Enrollment'>(),
  learnerId: newId<'User'>(),
  courseId: newId<'Course'>(),
  lessonIds: [newId<'Lesson'>()],
  completedAt: LATER,
};

describe('issuing a certificate', () => {
  it('issues one for the completed course, announcing its id, code, learner and course', () => {
    const certificate = Certificate.issue(completed, clockAt(LATER));
    expect(eventsOf(certificate)).toEqual([
      {
        type: 'CertificateIssued',
        payload: {
          certificateId: certificate.id,
          code: certificate.code,
          learnerId: completed.learnerId,
          courseId: completed.courseId,
          enrollmentId: completed.enrollmentId,
          issuedAt: LATER,
        },
      },
    ]);
  });

  it('restores as it was, recording nothing', () => {
    const certificate = Certificate.issue(completed, clockAt(LATER));
    certificate.markSaved();
    const restored = Certificate.restore(certificate.toSnapshot());
    expect(restored.toSnapshot()).toEqual(certificate.toSnapshot());
    expect(restored.code).toBe(certificate.code);
    expect(restored.pendingEvents).toEqual([]);
  });
});

describe('the certificate code', () => {
  const id = '0190d5a2-7b3c-7def-8123-456789abcdef' as CertificateId;

  it('is derived from the id: the same id always gives the same code', () => {
    expect(certificateCodeOf(id)).toBe(certificateCodeOf(id));
    expect(certificateCodeOf(id)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z*~$=U]$/);
  });

  it('is written with the base-32 value of the id’s last forty bits', () => {
    // The id ends in …6789abcdef, its last forty bits: in Crockford base 32, then their check symbol.
    const body = 0x6789abcdefn.toString(32).toUpperCase().padStart(8, '0');
    const crockford = [...body]
      .map((symbol) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[parseInt(symbol, 32)])
      .join('');
    expect(certificateCodeOf(id).replaceAll('-', '').slice(0, 8)).toBe(crockford);
    expect(certificateCodeOf(id).slice(-1)).toBe(
      '0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U'[Number(0x6789abcdefn % 37n)],
    );
  });

  it('is recognised as well formed, in any case and with spaces around it', () => {
    const code = certificateCodeOf(id);
    expect(isWellFormedCertificateCode(code)).toBe(true);
    expect(isWellFormedCertificateCode(` ${code.toLowerCase()} `)).toBe(true);
  });

  it('catches any single wrong symbol and any swap of two neighbours', () => {
    const code = certificateCodeOf(id);
    const symbols = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const positions = [0, 1, 2, 3, 5, 6, 7, 8];
    for (const at of positions) {
      for (const symbol of symbols) {
        if (symbol === code[at]) continue;
        const typo = code.slice(0, at) + symbol + code.slice(at + 1);
        expect(isWellFormedCertificateCode(typo)).toBe(false);
      }
    }
    for (const [left, right] of [
      [0, 1],
      [1, 2],
      [2, 3],
      [5, 6],
      [6, 7],
      [7, 8],
    ] as const) {
      if (code[left] === code[right]) continue;
      const chars = [...code];
      [chars[left], chars[right]] = [chars[right]!, chars[left]!];
      expect(isWellFormedCertificateCode(chars.join(''))).toBe(false);
    }
  });

  it('refuses what is not written as a code', () => {
    for (const text of ['', 'ABCD-EFGH', 'ABCDEFGH-1', 'ILOU-0000-0', id]) {
      expect(isWellFormedCertificateCode(text)).toBe(false);
    }
  });
});
