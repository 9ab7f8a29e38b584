import { describe, expect, it } from '@jest/globals';
import { multilineText, normalisePlainText, oneLineText, plainText, TextValue } from '../../src/index.ts';

class Title extends TextValue {
  static of(raw: string): Title {
    return new Title(normalisePlainText(raw, titleText));
  }
}
class Nickname extends TextValue {
  static of(raw: string): Nickname {
    return new Nickname(raw.trim());
  }
}

const titleText = oneLineText({ concept: 'title', field: 'title', length: [3, 10] });
const noteText = multilineText({ concept: 'note', field: 'note', length: [0, 20] });

describe('text rules', () => {
  it('say their bounds and kind once, for the domain and the schema alike', () => {
    expect(titleText).toEqual({
      concept: 'title',
      field: 'title',
      minLength: 3,
      maxLength: 10,
      multiline: false,
    });
    expect(noteText.multiline).toBe(true);
    expect(plainText(titleText).safeParse('ab').success).toBe(false);
    expect(() => normalisePlainText('ab', titleText)).toThrow('title must be 3 to 10 characters');
    expect(plainText(noteText).parse('line one\nline two')).toBe('line one\nline two');
    expect(() => normalisePlainText('one\ntwo', titleText)).toThrow(/control or formatting/);
  });
});

describe('text values', () => {
  it('are equal when they are the same kind of value with the same text', () => {
    expect(Title.of(' Rust ').equals(Title.of('Rust'))).toBe(true);
    expect(Title.of('Rust').equals(Title.of('Go!'))).toBe(false);
    expect(Title.of('Rust').equals(Nickname.of('Rust'))).toBe(false);
    expect(Title.of('Rust').equals(null)).toBe(false);
    expect(`${Title.of('Rust')}`).toBe('Rust');
    expect(Title.of('Rust').value).toBe('Rust');
  });
});
