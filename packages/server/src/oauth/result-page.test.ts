import { describe, expect, it } from 'vitest';
import { renderFailure, renderSuccess, scriptJson } from './result-page.js';

describe('the result page', () => {
  it('posts the message to the exact target origin and closes itself', () => {
    const html = renderSuccess(
      'n0nce',
      { attemptId: 'att_1', origin: 'https://app.example.com' },
      {
        connectionId: 'conn_1',
        endUserId: 'user-1',
        scopes: ['openid'],
      },
    );
    expect(html).toContain('var targetOrigin = "https://app.example.com";');
    expect(html).toContain('window.opener.postMessage(message, targetOrigin);');
    expect(html).toContain('window.close();');
    expect(html).not.toContain("'*'");
  });

  it('without a target shows the error and posts nothing', () => {
    const html = renderFailure('n0nce', null, {
      code: 'state_mismatch',
      message: 'No <b>such</b> thing.',
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('No &lt;b&gt;such&lt;/b&gt; thing.');
    expect(html).toContain('<code>state_mismatch</code>');
  });

  it('encodes JSON so that it cannot leave the script element', () => {
    const encoded = scriptJson({ a: '</script><!--\u2028&' });
    expect(encoded).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(encoded)).toEqual({ a: '</script><!--\u2028&' });
  });
});
