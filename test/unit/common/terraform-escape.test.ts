import { terraformLiteral, terraformLiterals } from '../../../bake/common/terraform-escape';

describe('terraformLiteral', () => {
  test('doubles the openers of interpolations and directives, and only those', () => {
    expect(terraformLiteral('${aws_instance.x.id}')).toBe('$${aws_instance.x.id}');
    expect(terraformLiteral('%{ if true }x%{ endif }')).toBe('%%{ if true }x%%{ endif }');
    expect(terraformLiteral('cost: $5, 100% sure, {braces}')).toBe('cost: $5, 100% sure, {braces}');
    expect(terraformLiteral('a${b}c${d}')).toBe('a$${b}c$${d}');
  });
});

describe('terraformLiterals', () => {
  test('every string of plain data, keys included, however deep', () => {
    expect(terraformLiterals({ name: '${x}', tags: { '${k}': ['%{y}', 1, true, null] } })).toEqual({
      name: '$${x}',
      tags: { '$${k}': ['%%{y}', 1, true, null] },
    });
  });

  test('leaves numbers, Buffers and class instances (cdktf tokens) as they are', () => {
    class Token {
      constructor(readonly text: string) {}
    }
    const token = new Token('${x}');
    const buffer = Buffer.from('${x}');
    const out = terraformLiterals({ token, buffer, n: 3 });
    expect(out.token).toBe(token);
    expect(out.buffer).toBe(buffer);
    expect(out.n).toBe(3);
  });
});
