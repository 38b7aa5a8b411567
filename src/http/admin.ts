import type express from 'express';
import type { Request } from 'express';
import type { Actor } from '../../machines/roles';
import { requestIp, routeOf } from '../audit/access';
import type { AdminContext } from '../organisation/directory';
import { departmentBodySchema, departmentChangeSchema, departmentQuerySchema, jurisdictionBodySchema, jurisdictionChangeSchema } from '../organisation/schemas';
import type { Services } from '../services';
import { parse } from '../web/validation';

/**
 * The administration's API (`/admin/…`): jurisdictions and departments. The system administrator
 * only (三员分立); every change, and every refused attempt at one, is on the security audit trail.
 */
export function adminApiRoutes(app: express.Express, services: Services, actorOf: (req: Request) => Actor): void {
  const { organisation } = services;
  const by = (req: Request): AdminContext => ({ actor: actorOf(req), ip: requestIp(req), at: new Date(), route: routeOf(req) });

  app.get('/admin/jurisdictions', async (req, res) => {
    res.json({ items: await organisation.jurisdictions(by(req)) });
  });

  app.post('/admin/jurisdictions', async (req, res) => {
    const context = by(req);
    const body = parse(jurisdictionBodySchema, req.body);
    const created = await organisation.createJurisdiction(context, body);
    res.status(201).location(`/admin/jurisdictions/${created.id}`).json(created);
  });

  app.post('/admin/jurisdictions/:id', async (req, res) => {
    const context = by(req);
    res.json(await organisation.changeJurisdiction(context, req.params.id, parse(jurisdictionChangeSchema, req.body)));
  });

  app.get('/admin/departments', async (req, res) => {
    const context = by(req);
    res.json(await organisation.departments(context, parse(departmentQuerySchema, req.query)));
  });

  app.post('/admin/departments', async (req, res) => {
    const context = by(req);
    const created = await organisation.createDepartment(context, parse(departmentBodySchema, req.body));
    res.status(201).location(`/admin/departments/${created.id}`).json(created);
  });

  app.get('/admin/departments/:id', async (req, res) => {
    res.json(await organisation.department(by(req), req.params.id));
  });

  app.post('/admin/departments/:id', async (req, res) => {
    const context = by(req);
    res.json(await organisation.changeDepartment(context, req.params.id, parse(departmentChangeSchema, req.body)));
  });

  app.post('/admin/departments/:id/deactivate', async (req, res) => {
    res.json(await organisation.setDepartmentActive(by(req), req.params.id, false));
  });

  app.post('/admin/departments/:id/reactivate', async (req, res) => {
    res.json(await organisation.setDepartmentActive(by(req), req.params.id, true));
  });
}
