jest.setTimeout(30 * 60 * 1000);
