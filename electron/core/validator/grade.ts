// A step's verdict built from findings: the worst finding decides the status and names the defect in the
// one-line detail; every fact seen goes to the evidence, so a pass shows what was checked too.
import type { ValidationStep } from '../../../shared/module-validation';

export type Grade = Pick<ValidationStep, 'status' | 'detail' | 'evidence'> & { ms?: number };

export class Findings {
  private readonly fails: string[] = [];
  private readonly warns: string[] = [];
  readonly evidence: string[] = [];

  fail(text: string): void {
    this.fails.push(text);
    this.evidence.push(`FAIL: ${text}`);
  }

  warn(text: string): void {
    this.warns.push(text);
    this.evidence.push(`WARN: ${text}`);
  }

  note(text: string): void {
    this.evidence.push(text);
  }

  get failed(): boolean {
    return this.fails.length > 0;
  }

  grade(passDetail: string, ms?: number): Grade {
    const status = this.fails.length ? 'fail' : this.warns.length ? 'warn' : 'pass';
    const detail = this.fails[0] ?? this.warns[0] ?? passDetail;
    return { status, detail, evidence: [...this.evidence], ...(ms !== undefined ? { ms: Math.round(ms) } : {}) };
  }
}

export function failGrade(detail: string, evidence: string[] = [], ms?: number): Grade {
  return { status: 'fail', detail, evidence, ...(ms !== undefined ? { ms: Math.round(ms) } : {}) };
}

export function skippedGrade(detail: string): Grade {
  return { status: 'skipped', detail, evidence: [] };
}
