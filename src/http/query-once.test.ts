import express from 'express';
import request from 'supertest';
import { parseQueryOnce } from './query-once';

describe('parseQueryOnce', () => {
  it('parses the query string once however often the handlers read req.query', async () => {
    let parses = 0;
    const app = express();
    app.set('query parser', (text: string) => {
      parses += 1;
      return Object.fromEntries(new URLSearchParams(text));
    });
    app.use(parseQueryOnce);
    app.get('/', (req, res) => {
      const reads = [req.query.a, req.query.a, req.query.b, Object.keys(req.query).length];
      res.json(reads);
    });
    const res = await request(app).get('/?a=1&b=2');
    expect(res.body).toEqual(['1', '1', '2', 2]);
    expect(parses).toBe(1);
  });
});
